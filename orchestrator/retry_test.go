package orchestrator

import (
	"context"
	"testing"

	"github.com/conversations-go/conversations"
)

// TestIdempotentWritesRetryWithTheSameKey: each asynchronous write meets
// a 503 then a 202; it is sent twice with one unchanged UUIDv4 key, and a
// new logical call gets a new key.
func TestIdempotentWritesRetryWithTheSameKey(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *Client) (*Operation, error){
		"CreateConfiguration": func(ctx context.Context, c *Client) (*Operation, error) {
			return c.Configurations.Create(ctx, validConfigCreate())
		},
		"UpdateConfiguration": func(ctx context.Context, c *Client) (*Operation, error) {
			return c.Configurations.Update(ctx, confID, &ConfigurationUpdateParams{Description: "d", ConversationGroupingType: GroupByProfile, MemoryStoreID: memID})
		},
		"PatchConfiguration": func(ctx context.Context, c *Client) (*Operation, error) {
			return c.Configurations.Patch(ctx, confID, &ConfigurationPatchParams{Description: Set("d")})
		},
		"DeleteConfiguration": func(ctx context.Context, c *Client) (*Operation, error) {
			return c.Configurations.Delete(ctx, confID)
		},
		"DeleteConversationAsync": func(ctx context.Context, c *Client) (*Operation, error) {
			return c.Conversations.Delete(ctx, convID)
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, func(n int, r recorded) stub {
				if n%2 == 1 {
					return stub{status: 503, body: `{"code":20503,"message":"Service Unavailable","status":503}`}
				}
				return stub{status: 202, header: map[string]string{"Operation-Id": opID}, body: `{"statusUrl":"https://conversations.twilio.com/v2/ControlPlane/Operations/` + opID + `"}`}
			})
			c := testClient(t, rec.srv.URL)
			for range 2 {
				op, err := call(context.Background(), c)
				if err != nil {
					t.Fatal(err)
				}
				if op.ID != opID {
					t.Errorf("op %+v", op)
				}
			}
			reqs := rec.requests()
			if len(reqs) != 4 {
				t.Fatalf("%d requests, want 4 (two calls, each retried once)", len(reqs))
			}
			k1, k2 := reqs[0].header.Get("Idempotency-Key"), reqs[1].header.Get("Idempotency-Key")
			k3 := reqs[2].header.Get("Idempotency-Key")
			if !uuidV4.MatchString(k1) || k1 != k2 {
				t.Errorf("retry keys %q, %q: want one UUIDv4 sent unchanged", k1, k2)
			}
			if k3 == k1 || !uuidV4.MatchString(k3) {
				t.Errorf("second call reused key %q", k3)
			}
			if string(reqs[0].body) != string(reqs[1].body) {
				t.Errorf("retry body changed: %s / %s", reqs[0].body, reqs[1].body)
			}
		})
	}
}

// TestCreatesWithoutKeyNeverDuplicated: the creates the API takes no key
// for meet a 500; they are sent once and fail with the *Error.
func TestCreatesWithoutKeyNeverDuplicated(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *Client) error{
		"CreateConversationWithConfig": func(ctx context.Context, c *Client) error {
			_, err := c.Conversations.Create(ctx, &ConversationCreateParams{ConfigurationID: confID})
			return err
		},
		"CreateParticipantInConversation": func(ctx context.Context, c *Client) error {
			_, err := c.Participants.Create(ctx, convID, &ParticipantParams{Addresses: []Address{{Channel: ChannelSMS, Address: "+1"}}})
			return err
		},
		"CreateCommunicationInConversation": func(ctx context.Context, c *Client) error {
			_, err := c.Communications.Create(ctx, convID, &CommunicationCreateParams{Author: ParticipantAddress{Address: "+1", Channel: ChannelSMS},
				Content: Content{Type: ContentTypeText, Text: "hi"}, Recipients: []ParticipantAddress{{Address: "+2", Channel: ChannelSMS}}})
			return err
		},
		"CreateConversationAction": func(ctx context.Context, c *Client) error {
			_, err := c.Actions.Create(ctx, convID, &ActionCreateParams{Type: ActionTypeSendMessage, Payload: SendMessagePayload{
				From: MessageParticipant{ParticipantID: partID}, To: []MessageParticipant{{ParticipantID: partID}}, Content: MessageContent{Text: "x"}}})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, func(int, recorded) stub {
				return stub{status: 500, body: `{"code":20500,"message":"Internal Server Error","status":500}`}
			})
			c := testClient(t, rec.srv.URL)
			err := call(context.Background(), c)
			if conversations.StatusCode(err) != 500 {
				t.Fatalf("err %v", err)
			}
			reqs := rec.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1: a create without a key must not be re-sent", len(reqs))
			}
			if k := reqs[0].header.Get("Idempotency-Key"); k != "" {
				t.Errorf("Idempotency-Key %q", k)
			}
		})
	}
}
