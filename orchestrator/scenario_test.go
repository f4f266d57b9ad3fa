package orchestrator_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/conversations-go/conversations/orchestrator"
)

// TestScenarioOnTheFake drives the v2 API end to end on the stateful fake:
// a configuration bridged to a classic Conversation Service, a
// conversation with participants and communications, an action, a merge
// patch, and an asynchronous delete waited on.
func TestScenarioOnTheFake(t *testing.T) {
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	v2 := orchestrator.New(c)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fast := &orchestrator.WaitPolicy{Interval: time.Millisecond, MaxInterval: 5 * time.Millisecond}

	svc, err := c.Services.Create(ctx, &conversations.ChatServiceCreateParams{FriendlyName: "classic"})
	if err != nil {
		t.Fatal(err)
	}

	// Configuration: create (202), wait, fetch.
	op, err := v2.Configurations.Create(ctx, &orchestrator.ConfigurationCreateParams{
		DisplayName: "Support", Description: "Inbound support", ConversationGroupingType: orchestrator.GroupByParticipantAddresses,
		MemoryStoreID: "mem_store_01k1etk2y5f1y9fpe2epfdtvv2",
		ChannelSettings: map[orchestrator.Channel]orchestrator.ChannelSetting{
			orchestrator.ChannelSMS: {StatusTimeouts: &orchestrator.StatusTimeouts{Inactive: 10, Closed: 60},
				CaptureRules: []orchestrator.CaptureRule{{From: "*", To: "+18005550100"}}},
		},
		StatusCallbacks:       []orchestrator.StatusCallback{{URL: "https://example.com/v2-events"}},
		ConversationsV1Bridge: &orchestrator.ConversationsV1Bridge{ServiceID: svc.SID},
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := v2.Operations.Wait(ctx, op.ID, fast)
	if err != nil {
		t.Fatal(err)
	}
	confID := st.Related["configurationId"]
	if confID == "" || op.Related["configurationId"] != confID {
		t.Fatalf("operation %+v, state %+v", op, st)
	}
	conf, err := v2.Configurations.Fetch(ctx, confID)
	if err != nil {
		t.Fatal(err)
	}
	if conf.DisplayName != "Support" || conf.ConversationsV1Bridge == nil || conf.ConversationsV1Bridge.ServiceID != svc.SID ||
		conf.ChannelSettings[orchestrator.ChannelSMS].StatusTimeouts.Inactive != 10 || conf.CreatedAt.IsZero() {
		t.Errorf("configuration %+v", conf)
	}
	// A second configuration cannot bridge the same service: the failed
	// operation or the 409 names the conflict.
	op2, err := v2.Configurations.Create(ctx, &orchestrator.ConfigurationCreateParams{
		DisplayName: "Second", Description: "d", ConversationGroupingType: orchestrator.GroupByProfile,
		MemoryStoreID: "mem_store_01k1etk2y5f1y9fpe2epfdtvv2", ConversationsV1Bridge: &orchestrator.ConversationsV1Bridge{ServiceID: svc.SID}})
	if err == nil {
		_, err = op2.Wait(ctx)
	}
	if conversations.StatusCode(err) != 409 || orchestrator.ConflictingResourceID(err) != confID {
		t.Errorf("bridging a service twice: %v (conflicting resource %q, want %q)", err, orchestrator.ConflictingResourceID(err), confID)
	}

	// Patch the configuration: rename, remove the callbacks.
	op, err = v2.Configurations.Patch(ctx, confID, &orchestrator.ConfigurationPatchParams{
		DisplayName: orchestrator.Set("Support v2"), StatusCallbacks: orchestrator.Null[[]orchestrator.StatusCallback]()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v2.Operations.Wait(ctx, op.ID, fast); err != nil {
		t.Fatal(err)
	}
	if conf, err = v2.Configurations.Fetch(ctx, confID); err != nil || conf.DisplayName != "Support v2" || len(conf.StatusCallbacks) != 0 || conf.Description != "Inbound support" {
		t.Fatalf("patched configuration %+v, %v", conf, err)
	}

	// Conversation with a customer.
	conv, err := v2.Conversations.Create(ctx, &orchestrator.ConversationCreateParams{ConfigurationID: confID, Name: "Order 1234",
		Participants: []orchestrator.ParticipantParams{{Name: "Dana", Type: orchestrator.ParticipantTypeCustomer,
			Addresses: []orchestrator.Address{{Channel: orchestrator.ChannelSMS, Address: "+15005550006"}}}},
		Metadata: map[string]string{"ticket": "T-1", "stale": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if conv.ConfigurationID != confID || conv.Status != orchestrator.ConversationStatusActive || len(conv.Participants) != 1 {
		t.Errorf("conversation %+v", conv)
	}
	customer := conv.Participants[0]

	// An agent joins.
	agent, err := v2.Participants.Create(ctx, conv.ID, &orchestrator.ParticipantParams{Name: "Sam", Type: orchestrator.ParticipantTypeHumanAgent,
		Addresses: []orchestrator.Address{{Channel: orchestrator.ChannelSMS, Address: "+18005550100"}}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for p, err := range v2.Participants.All(ctx, conv.ID, &orchestrator.ListParams{PageSize: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Name)
	}
	if len(names) != 2 {
		t.Errorf("participants %v", names)
	}
	if p, err := v2.Participants.Fetch(ctx, conv.ID, agent.ID); err != nil || p.Type != orchestrator.ParticipantTypeHumanAgent {
		t.Errorf("agent %+v, %v", p, err)
	}

	// Communications: the customer writes, the agent answers.
	comm, err := v2.Communications.Create(ctx, conv.ID, &orchestrator.CommunicationCreateParams{
		Author:     orchestrator.ParticipantAddress{Address: "+15005550006", Channel: orchestrator.ChannelSMS, ParticipantID: customer.ID},
		Content:    orchestrator.Content{Type: orchestrator.ContentTypeText, Text: "Where is my order?"},
		Recipients: []orchestrator.ParticipantAddress{{Address: "+18005550100", Channel: orchestrator.ChannelSMS, ParticipantID: agent.ID}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := v2.Communications.Fetch(ctx, conv.ID, comm.ID); err != nil || got.Content.Text != "Where is my order?" || got.Author.ParticipantID != customer.ID {
		t.Errorf("communication %+v, %v", got, err)
	}

	// An action sends the agent's answer.
	act, err := v2.Actions.Create(ctx, conv.ID, &orchestrator.ActionCreateParams{Type: orchestrator.ActionTypeSendMessage,
		Payload: orchestrator.SendMessagePayload{
			From:    orchestrator.MessageParticipant{ParticipantID: agent.ID, Channel: orchestrator.ChannelSMS},
			To:      []orchestrator.MessageParticipant{{ParticipantID: customer.ID}},
			Content: orchestrator.MessageContent{Text: "It ships today."}}})
	if err != nil {
		t.Fatal(err)
	}
	for act.Status == orchestrator.ActionStatusPending {
		if act, err = v2.Actions.Fetch(ctx, conv.ID, act.ID); err != nil {
			t.Fatal(err)
		}
	}
	if act.Status != orchestrator.ActionStatusCompleted {
		t.Fatalf("action %+v", act)
	}
	n := 0
	for _, err := range v2.Communications.All(ctx, conv.ID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d communications, want 2 (the customer's and the action's)", n)
	}

	// Merge patch: remove the name and one metadata key, add another.
	conv, err = v2.Conversations.Patch(ctx, conv.ID, &orchestrator.ConversationPatchParams{Name: orchestrator.Null[string](),
		Metadata: map[string]*string{"stale": nil, "priority": conversations.Ptr("high")}})
	if err != nil {
		t.Fatal(err)
	}
	if conv.Name != "" || conv.Metadata["ticket"] != "T-1" || conv.Metadata["priority"] != "high" || len(conv.Metadata) != 2 {
		t.Errorf("patched conversation %+v", conv)
	}

	// The asynchronous delete, waited on (the fake keeps it pending for two polls).
	srv.SetAsyncPlan(conversationstest.AsyncPlan{PendingPolls: 2})
	op, err = v2.Conversations.Delete(ctx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	st, err = v2.Operations.Wait(ctx, op.ID, fast)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != orchestrator.OperationStatusCompleted || st.Related["conversationId"] != conv.ID {
		t.Errorf("delete state %+v", st)
	}
	if _, err := v2.Conversations.Fetch(ctx, conv.ID); !conversations.IsNotFound(err) {
		t.Errorf("fetch after delete: %v", err)
	}

	// A failing operation: the configuration delete fails with problem details.
	srv.SetAsyncPlan(conversationstest.AsyncPlan{Fail: &conversationstest.Problem{Title: "Backend unavailable", Detail: "try later"}})
	op, err = v2.Configurations.Delete(ctx, confID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = v2.Operations.Wait(ctx, op.ID, fast)
	var oe *orchestrator.OperationError
	if !errors.As(err, &oe) || oe.Problem.Detail != "try later" || oe.Problem.Status != 500 {
		t.Errorf("failed operation: %#v", err)
	}
}

// TestRetriesNeverCreateTwiceOnTheFake: the answer to a write is lost (the
// fake applies it, then answers 503). The keyed configuration create is
// retried with its key and the fake answers the original operation: one
// configuration. The conversation create has no key: it is not re-sent,
// the caller gets the 503, and the fake holds one conversation.
func TestRetriesNeverCreateTwiceOnTheFake(t *testing.T) {
	srv := conversationstest.NewServer(t)
	v2 := orchestrator.New(srv.Client(conversations.WithRetry(conversations.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond})))
	ctx := context.Background()
	lost := conversationstest.Fault{Status: 503, AfterHandling: true}

	srv.FailNext(1, "POST", "/v2/ControlPlane/Configurations", lost)
	op, err := v2.Configurations.Create(ctx, &orchestrator.ConfigurationCreateParams{DisplayName: "Once", Description: "d",
		ConversationGroupingType: orchestrator.GroupByProfile, MemoryStoreID: "mem_store_01k1etk2y5f1y9fpe2epfdtvv2"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := op.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for c, err := range v2.Configurations.All(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if len(ids) != 1 || ids[0] != st.Related["configurationId"] {
		t.Fatalf("configurations %v, want exactly %s", ids, st.Related["configurationId"])
	}

	srv.FailNext(1, "POST", "/v2/Conversations", lost)
	_, err = v2.Conversations.Create(ctx, &orchestrator.ConversationCreateParams{ConfigurationID: ids[0]})
	if conversations.StatusCode(err) != 503 {
		t.Fatalf("err %v, want the 503 (a create without a key is not re-sent)", err)
	}
	page, err := v2.Conversations.List(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Errorf("%d conversations, want 1", len(page.Items))
	}
}
