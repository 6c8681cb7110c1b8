package liveboard_test

import (
	"net/netip"
	"testing"

	"liveboard"
)

func TestPublicAddr(t *testing.T) {
	tests := []struct {
		addr   string
		public bool
	}{
		{"93.184.215.14", true},
		{"2606:4700::1111", true},
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"::1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"fd00::1", false},
		{"169.254.169.254", false},
		{"fe80::1%eth0", false},
		{"0.0.0.0", false},
		{"::", false},
		{"224.0.0.1", false},
		{"ff02::1", false},
		{"100.64.0.1", false},
		{"255.255.255.255", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"64:ff9b::a9fe:a9fe", false},
		{"64:ff9b::5db8:d70e", true},
	}
	for _, tt := range tests {
		if got := liveboard.PublicAddr(netip.MustParseAddr(tt.addr)); got !=
			tt.public {
			t.Errorf("PublicAddr(%s) = %t, want %t", tt.addr, got, tt.public)
		}
	}
}

func TestChannelConfigCheckPublic(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://hooks.example.com/in", true},
		{"http://93.184.215.14:8080/x", true},
		{"http://127.0.0.1:8080/metrics", false},
		{"http://localhost/x", false},
		{"http://LOCALHOST./x", false},
		{"http://api.localhost/x", false},
		{"http://[::1]:9911/", false},
		{"http://10.0.0.7/", false},
		{"http://169.254.169.254/latest/meta-data/", false},
		{"http://100.64.1.1/", false},
		{"http://2130706433:9911/", false},
		{"http://0x7f000001:9911/", false},
		{"http://0177.0.0.1:9911/", false},
		{"http://127.1:9911/", false},
		{"https://cafe.be/hook", true},
		{"https://0x.example.com/hook", true},
		{"https://1password.example/hook", true},
	}
	for _, tt := range tests {
		err := liveboard.ChannelConfig{URL: tt.url}.CheckPublic(
			liveboard.ChannelWebhook)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPublic(%s) = %v, want ok %t", tt.url, err, tt.ok)
		}
		if err != nil && liveboard.ErrorCode(err) != liveboard.EInvalid {
			t.Errorf("CheckPublic(%s): code %q", tt.url,
				liveboard.ErrorCode(err))
		}
	}
	tg := liveboard.ChannelConfig{BotToken: "1:x", ChatID: "1"}
	if err := tg.CheckPublic(liveboard.ChannelTelegram); err != nil {
		t.Errorf("a Telegram channel: %v", err)
	}
}
