package orchestrator

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/conversations-go/conversations"
)

func validConfigCreate() *ConfigurationCreateParams {
	return &ConfigurationCreateParams{DisplayName: "Support", Description: "d", ConversationGroupingType: GroupByProfile, MemoryStoreID: memID}
}

// TestValidationBeforeSending checks that bad input fails with a
// *ValidationError naming the parameter, and that nothing is sent.
func TestValidationBeforeSending(t *testing.T) {
	long := strings.Repeat("a", 33)
	cbs := func(n int) []StatusCallback {
		s := make([]StatusCallback, n)
		for i := range s {
			s[i] = StatusCallback{URL: "https://example.com/cb"}
		}
		return s
	}
	parts := make([]ParticipantParams, 51)
	cases := []struct {
		name  string
		param string
		call  func(ctx context.Context, c *Client) error
	}{
		{"displayName too long", "displayName", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.DisplayName = long
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"displayName pattern", "displayName", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.DisplayName = "bad/name"
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"displayName required", "displayName", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.DisplayName = ""
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"description required", "description", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.Description = ""
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"grouping enum", "conversationGroupingType", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.ConversationGroupingType = "GROUP_BY_MOOD"
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"memoryStoreId required", "memoryStoreId", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.MemoryStoreID = ""
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"status callbacks on a configuration", "statusCallbacks", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.StatusCallbacks = cbs(3)
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"status callback method", "statusCallbacks[0].method", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.StatusCallbacks = []StatusCallback{{URL: "https://example.com", Method: "PUT"}}
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"intelligence configurations", "intelligenceConfigurationIds", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.IntelligenceConfigurationIDs = []string{"1", "2", "3", "4", "5", "6"}
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"bridge service SID", "conversationsV1Bridge.serviceId", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.ConversationsV1Bridge = &ConversationsV1Bridge{ServiceID: "CH0123456789abcdef0123456789abcdef"}
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"channel settings key", "channelSettings", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.ChannelSettings = map[Channel]ChannelSetting{ChannelVideo: {}}
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"capture rule", "channelSettings.SMS.captureRules[0].to", func(ctx context.Context, c *Client) error {
			p := validConfigCreate()
			p.ChannelSettings = map[Channel]ChannelSetting{ChannelSMS: {CaptureRules: []CaptureRule{{From: "*"}}}}
			_, err := c.Configurations.Create(ctx, p)
			return err
		}},
		{"update: channel settings key in a patch", "channelSettings", func(ctx context.Context, c *Client) error {
			_, err := c.Configurations.Patch(ctx, confID, &ConfigurationPatchParams{ChannelSettings: map[Channel]*ChannelSetting{"FAX": nil}})
			return err
		}},
		{"patch: displayName", "displayName", func(ctx context.Context, c *Client) error {
			_, err := c.Configurations.Patch(ctx, confID, &ConfigurationPatchParams{DisplayName: Set(long)})
			return err
		}},
		{"patch: callbacks", "statusCallbacks", func(ctx context.Context, c *Client) error {
			_, err := c.Configurations.Patch(ctx, confID, &ConfigurationPatchParams{StatusCallbacks: Set(cbs(3))})
			return err
		}},
		{"update: description", "description", func(ctx context.Context, c *Client) error {
			_, err := c.Configurations.Update(ctx, confID, &ConfigurationUpdateParams{ConversationGroupingType: GroupByProfile, MemoryStoreID: memID})
			return err
		}},
		{"empty id", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Configurations.Fetch(ctx, "")
			return err
		}},
		{"dot-dot id", "id", func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Fetch(ctx, "..")
			return err
		}},
		{"list memoryStoreId", "memoryStoreId", func(ctx context.Context, c *Client) error {
			_, err := c.Configurations.List(ctx, &ConfigurationListParams{MemoryStoreID: "mem_other_1"})
			return err
		}},
		{"list pageSize", "pageSize", func(ctx context.Context, c *Client) error {
			_, err := c.Participants.List(ctx, convID, &ListParams{PageSize: 1001})
			return err
		}},
		{"list status enum", "status", func(ctx context.Context, c *Client) error {
			for _, err := range c.Conversations.All(ctx, &ConversationListParams{Status: []ConversationStatus{"OPEN"}}) {
				return err
			}
			return nil
		}},
		{"conversation: configurationId", "configurationId", func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{})
			return err
		}},
		{"conversation: 51 participants", "participants", func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{ConfigurationID: confID, Participants: parts})
			return err
		}},
		{"conversation: participant address channel", "participants[0].addresses[0].channel", func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{ConfigurationID: confID,
				Participants: []ParticipantParams{{Addresses: []Address{{Channel: "PIGEON", Address: "x"}}}}})
			return err
		}},
		{"conversation: metadata entries", "metadata", func(ctx context.Context, c *Client) error {
			m := map[string]string{}
			for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
				m[k] = "v"
			}
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{ConfigurationID: confID, Metadata: m})
			return err
		}},
		{"conversation: metadata key", "metadata", func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{ConfigurationID: confID, Metadata: map[string]string{"a b": "v"}})
			return err
		}},
		{"conversation update: status required", "status", func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Update(ctx, convID, &ConversationUpdateParams{Name: "x"})
			return err
		}},
		{"conversation patch: 21 callbacks", "configuration.statusCallbacks", func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Patch(ctx, convID, &ConversationPatchParams{Configuration: &ConversationConfigurationPatch{StatusCallbacks: Set(cbs(21))}})
			return err
		}},
		{"participant: addresses required", "addresses", func(ctx context.Context, c *Client) error {
			_, err := c.Participants.Create(ctx, convID, &ParticipantParams{Name: "x"})
			return err
		}},
		{"participant: type enum", "type", func(ctx context.Context, c *Client) error {
			_, err := c.Participants.Update(ctx, convID, partID, &ParticipantParams{Type: "ROBOT"})
			return err
		}},
		{"communication: recipients", "recipients", func(ctx context.Context, c *Client) error {
			_, err := c.Communications.Create(ctx, convID, &CommunicationCreateParams{Author: ParticipantAddress{Address: "a", Channel: ChannelSMS},
				Content: Content{Type: ContentTypeText, Text: "hi"}})
			return err
		}},
		{"communication: content type", "content.type", func(ctx context.Context, c *Client) error {
			_, err := c.Communications.Create(ctx, convID, &CommunicationCreateParams{Author: ParticipantAddress{Address: "a", Channel: ChannelSMS},
				Content: Content{Type: "AUDIO", Text: "hi"}})
			return err
		}},
		{"action: type", "type", func(ctx context.Context, c *Client) error {
			_, err := c.Actions.Create(ctx, convID, &ActionCreateParams{Type: "START_FLOW"})
			return err
		}},
		{"action: from", "payload.from", func(ctx context.Context, c *Client) error {
			_, err := c.Actions.Create(ctx, convID, &ActionCreateParams{Type: ActionTypeSendMessage,
				Payload: SendMessagePayload{From: MessageParticipant{Address: "+1"}, To: []MessageParticipant{{ParticipantID: partID}}}})
			return err
		}},
		{"nil params", "params", func(ctx context.Context, c *Client) error {
			_, err := c.Configurations.Create(ctx, nil)
			return err
		}},
	}
	rec := newRecorder(t, func(int, recorded) stub { return stub{status: 500} })
	c := testClient(t, rec.srv.URL)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call(context.Background(), c)
			var v *conversations.ValidationError
			if !errors.As(err, &v) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			if v.Param != tc.param {
				t.Errorf("Param %q, want %q (%v)", v.Param, tc.param, err)
			}
		})
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestValidationAcceptsLimits checks that the limits themselves pass.
func TestValidationAcceptsLimits(t *testing.T) {
	p := validConfigCreate()
	p.DisplayName = "A-b_c 01234567890123456789012345" // 32 characters
	p.StatusCallbacks = []StatusCallback{{URL: "https://a"}, {URL: "https://b", Method: CallbackMethodGET}}
	p.IntelligenceConfigurationIDs = []string{"1", "2", "3", "4", "5"}
	p.ChannelSettings = map[Channel]ChannelSetting{ChannelVoice: {}, ChannelSMS: {}, ChannelRCS: {}, ChannelWhatsApp: {}, ChannelChat: {}}
	if err := p.validate(); err != nil {
		t.Error(err)
	}
	cp := &ConversationCreateParams{ConfigurationID: confID, Participants: make([]ParticipantParams, 50)}
	if err := cp.validate(); err != nil {
		t.Error(err)
	}
	if err := checkIdempotencyKey(newUUID()); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "not-a-uuid", "0189-0a5d-aa0f-7c80-b8e6-0242ac140004x", "01890a5d-aa0f-7c80-b8e6-0242ac14000g"} {
		if checkIdempotencyKey(bad) == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
	if !memoryStoreIDOK(memID) || !memoryStoreIDOK("mem_service_01k1etk2y5f1y9fpe2epfdtvv2") || memoryStoreIDOK("mem_store_81k1etk2y5f1y9fpe2epfdtvv2") {
		t.Error("memoryStoreIdOK")
	}
}
