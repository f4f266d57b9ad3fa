package bench

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/conversations-go/conversations/conversationstest"
	twclient "github.com/twilio/twilio-go/client"
	v2 "github.com/twilio/twilio-go/rest/conversations/v2"
)

// toFake sends twilio-go's requests for conversations.twilio.com to the
// fake instead.
type toFake struct {
	fake *url.URL
	base http.RoundTripper
}

func (t toFake) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.fake.Scheme, t.fake.Host, t.fake.Host
	return t.base.RoundTrip(r)
}

// The official twilio-go (v1.31.0) v2 client drives the fake's
// Conversation Orchestrator API: every shape it decodes is the spec's, and
// what it sends (including its quirks: an empty conversationsV1Bridge, a
// zero occurredAt, PageSize/PageToken on later pages) is accepted.
func TestTwilioGoDrivesTheV2Fake(t *testing.T) {
	srv := conversationstest.NewServer(t)
	u, _ := url.Parse(srv.URL)
	hc := &http.Client{Transport: toFake{fake: u, base: srv.HTTPClient().Transport}}
	api := v2.NewApiServiceWithClient(&twclient.Client{Credentials: twclient.NewCredentials(srv.AccountSID, srv.AuthToken), HTTPClient: hc})

	accepted, err := api.CreateConfiguration(new(v2.CreateConfigurationParams).
		SetIdempotencyKey("3b0f6c1e-9a47-4a3e-8d52-7c1f0e2b4a69").
		SetCreateConfigurationRequest(v2.CreateConfigurationRequest{
			DisplayName: "twilio-go", Description: "driven by twilio-go",
			ConversationGroupingType: "GROUP_BY_PARTICIPANT_ADDRESSES",
			MemoryStoreId:            "mem_store_01k1etk2y5f1y9fpe2epfdtvv2",
			ChannelSettings: map[string]v2.CreateConfigurationRequestChannelSettingsValue{
				"SMS": {CaptureRules: []v2.CreateConfigurationRequestChannelSettingsValueCaptureRules{{From: "+18005550100", To: "*"}}},
			},
		}))
	if err != nil {
		t.Fatalf("CreateConfiguration: %v", err)
	}
	cfgID := (*accepted.Related)["configurationId"]
	op, err := api.FetchOperationStatus(accepted.StatusUrl[strings.LastIndex(accepted.StatusUrl, "/")+1:])
	if err != nil || op.Status != "COMPLETED" || op.CompletedAt == nil {
		t.Fatalf("FetchOperationStatus: %+v %v", op, err)
	}
	cfg, err := api.FetchConfiguration(cfgID)
	if err != nil || cfg.DisplayName != "twilio-go" || cfg.Version != 1 {
		t.Fatalf("FetchConfiguration: %+v %v", cfg, err)
	}
	if _, err := api.UpdateConfiguration(cfgID, new(v2.UpdateConfigurationParams).SetUpdateConfigurationRequest(v2.UpdateConfigurationRequest{
		Description: "updated", ConversationGroupingType: "GROUP_BY_PROFILE", MemoryStoreId: "mem_store_01k1etk2y5f1y9fpe2epfdtvv2",
		ChannelSettings: map[string]v2.UpdateConfigurationRequestChannelSettingsValue{},
	})); err != nil {
		t.Fatalf("UpdateConfiguration: %v", err)
	}

	conv, err := api.CreateConversationWithConfig(new(v2.CreateConversationWithConfigParams).SetCreateConversationWithConfigRequest(v2.CreateConversationWithConfigRequest{
		ConfigurationId: cfgID, Name: "Order 7",
		Participants: []v2.CreateConversationWithConfigRequestParticipants{{
			Type: "CUSTOMER", Addresses: []v2.CreateConversationWithConfigRequestParticipantsAddresses{{Channel: "SMS", Address: "+18005550199"}},
		}},
	}))
	if err != nil || conv.Configuration.Description != "updated" || len(conv.Participants) != 1 {
		t.Fatalf("CreateConversationWithConfig: %+v %v", conv, err)
	}
	agent, err := api.CreateParticipantInConversation(conv.Id, new(v2.CreateParticipantInConversationParams).SetCreateParticipantInConversationRequest(v2.CreateParticipantInConversationRequest{
		Type: "HUMAN_AGENT", Addresses: []v2.CreateConversationWithConfigRequestParticipantsAddresses{{Channel: "SMS", Address: "+18005550100"}},
	}))
	if err != nil {
		t.Fatalf("CreateParticipantInConversation: %v", err)
	}
	comm, err := api.CreateCommunicationInConversation(conv.Id, new(v2.CreateCommunicationInConversationParams).SetCreateCommunicationInConversationRequest(v2.CreateCommunicationInConversationRequest{
		Author:     v2.CreateCommunicationInConversationRequestAuthor{Address: "+18005550199", Channel: "SMS"},
		Content:    v2.CreateCommunicationInConversationRequestContent{Type: "TEXT", Text: "Where is my order?"},
		Recipients: []v2.CreateCommunicationInConversationRequestRecipients{{Address: "+18005550100", Channel: "SMS"}},
	}))
	if err != nil || comm.Author.ParticipantId != conv.Participants[0].Id {
		t.Fatalf("CreateCommunicationInConversation: %+v %v", comm, err)
	}
	act, err := api.CreateConversationAction(conv.Id, new(v2.CreateConversationActionParams).SetCreateConversationActionRequest(v2.CreateConversationActionRequest{
		Type: "SEND_MESSAGE",
		Payload: v2.ConversationsV2SendMessagePayload{
			From:    v2.ConversationsV2SendMessageParticipant{ParticipantId: agent.Id},
			To:      []v2.ConversationsV2SendMessageParticipant{{ParticipantId: conv.Participants[0].Id}},
			Content: v2.ConversationsV2SendMessageContent{Text: "It ships today."},
		},
	}))
	if err != nil || act.Status != "PENDING" {
		t.Fatalf("CreateConversationAction: %+v %v", act, err)
	}
	if done, err := api.FetchConversationAction(conv.Id, act.Id); err != nil || done.Status != "COMPLETED" {
		t.Fatalf("FetchConversationAction: %+v %v", done, err)
	}

	// Lists. twilio-go follows meta.nextToken with PageSize/PageToken and
	// without the filters (the token carries them). It cannot page below a
	// conversation: its next-page URL keeps the literal {ConversationId}
	// (a twilio-go bug, which Twilio would answer with 404 as well), so
	// those lists are read in one page here.
	parts, err := api.ListParticipantByConversation(conv.Id, nil)
	if err != nil || len(parts) != 2 {
		t.Fatalf("ListParticipantByConversation: %d items, %v", len(parts), err)
	}
	comms, err := api.ListCommunicationByConversation(conv.Id, nil)
	if err != nil || len(comms) != 2 {
		t.Fatalf("ListCommunicationByConversation: %d items, %v", len(comms), err)
	}
	for i := 0; i < 3; i++ {
		if _, err := api.CreateConversationWithConfig(new(v2.CreateConversationWithConfigParams).SetCreateConversationWithConfigRequest(v2.CreateConversationWithConfigRequest{ConfigurationId: cfgID})); err != nil {
			t.Fatal(err)
		}
	}
	one := 1
	convs, err := api.ListConversationByAccount(&v2.ListConversationByAccountParams{Status: &[]string{"ACTIVE"}, PageSize: &one})
	if err != nil || len(convs) != 4 {
		t.Fatalf("ListConversationByAccount over 4 pages: %d items, %v", len(convs), err)
	}
	cfgs, err := api.ListConfiguration(nil)
	if err != nil || len(cfgs) != 1 {
		t.Fatalf("ListConfiguration: %d items, %v", len(cfgs), err)
	}

	if _, err := api.PatchConversationById(conv.Id, new(v2.PatchConversationByIdParams).SetPatchConversationByIdRequest(v2.PatchConversationByIdRequest{Name: "renamed"})); err != nil {
		t.Fatalf("PatchConversationById: %v", err)
	}
	if c, err := api.UpdateConversationById(conv.Id, new(v2.UpdateConversationByIdParams).SetUpdateConversationByIdRequest(v2.UpdateConversationByIdRequest{Status: "CLOSED"})); err != nil || c.Status != "CLOSED" {
		t.Fatalf("UpdateConversationById: %+v %v", c, err)
	}
	if _, err := api.DeleteConversationAsync(conv.Id, nil); err != nil {
		t.Fatalf("DeleteConversationAsync: %v", err)
	}
	if _, err := api.DeleteConfiguration(cfgID, nil); err != nil {
		t.Fatalf("DeleteConfiguration: %v", err)
	}
	if _, err := api.FetchConfiguration(cfgID); err == nil || !strings.Contains(err.Error(), "20404") {
		t.Fatalf("FetchConfiguration after delete: %v", err)
	}
}
