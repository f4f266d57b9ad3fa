package orchestrator_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/orchestrator"
)

// fakeAPI answers a few v2 calls the way Twilio documents them, for the
// examples.
func fakeAPI() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "POST" && r.URL.Path == "/v2/ControlPlane/Configurations":
			w.Header().Set("Operation-Id", "proc_job_1")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusAccepted)
			fmt.Fprint(w, `{"statusUrl":"https://conversations.twilio.com/v2/ControlPlane/Operations/proc_job_1","related":{"configurationId":"conv_configuration_1"}}`)
		case r.URL.Path == "/v2/ControlPlane/Operations/proc_job_1":
			fmt.Fprint(w, `{"operationId":"proc_job_1","status":"COMPLETED","createdAt":"2026-06-01T10:00:00Z","completedAt":"2026-06-01T10:00:02Z",
				"statusUrl":"https://conversations.twilio.com/v2/ControlPlane/Operations/proc_job_1","related":{"configurationId":"conv_configuration_1"}}`)
		case r.Method == "PATCH" && r.URL.Path == "/v2/Conversations/conv_conversation_1":
			fmt.Printf("PATCH body: %s\n", body)
			fmt.Fprint(w, `{"id":"conv_conversation_1","accountId":"AC1","configurationId":"conv_configuration_1","status":"ACTIVE","name":null,"metadata":{"ticket":"T-9"}}`)
		case r.URL.Path == "/v2/Conversations" && r.URL.Query().Get("pageToken") == "":
			fmt.Fprint(w, `{"conversations":[{"id":"conv_conversation_1","accountId":"AC1","configurationId":"conv_configuration_1","status":"ACTIVE"}],"meta":{"key":"conversations","pageSize":1,"nextToken":"t2"}}`)
		case r.URL.Path == "/v2/Conversations":
			fmt.Fprint(w, `{"conversations":[{"id":"conv_conversation_2","accountId":"AC1","configurationId":"conv_configuration_1","status":"CLOSED"}],"meta":{"key":"conversations","pageSize":1}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":20404,"message":"not found","status":404}`)
		}
	}))
}

func newV2(base string) *orchestrator.Client {
	c, err := conversations.NewClient("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "your_auth_token", conversations.WithBaseURL(base))
	if err != nil {
		log.Fatal(err)
	}
	return orchestrator.New(c)
}

// Create a configuration and wait for the asynchronous operation.
func ExampleConfigurationsService_Create() {
	srv := fakeAPI()
	defer srv.Close()
	v2 := newV2(srv.URL)
	ctx := context.Background()

	op, err := v2.Configurations.Create(ctx, &orchestrator.ConfigurationCreateParams{
		DisplayName:              "Support",
		Description:              "Inbound support over SMS",
		ConversationGroupingType: orchestrator.GroupByParticipantAddresses,
		MemoryStoreID:            "mem_store_01k1etk2y5f1y9fpe2epfdtvv2",
		ChannelSettings: map[orchestrator.Channel]orchestrator.ChannelSetting{
			orchestrator.ChannelSMS: {CaptureRules: []orchestrator.CaptureRule{{From: "*", To: "+18005550100"}}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	st, err := op.Wait(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(op.ID, st.Status, st.Related["configurationId"])
	// Output: proc_job_1 COMPLETED conv_configuration_1
}

// Patch a conversation: remove its name, set one metadata key and remove
// another, keep everything else.
func ExampleConversationsService_Patch() {
	srv := fakeAPI()
	defer srv.Close()
	v2 := newV2(srv.URL)

	conv, err := v2.Conversations.Patch(context.Background(), "conv_conversation_1", &orchestrator.ConversationPatchParams{
		Name:     orchestrator.Null[string](),
		Metadata: map[string]*string{"ticket": conversations.Ptr("T-9"), "old": nil},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %q %v\n", conv.ID, conv.Name, conv.Metadata)
	// Output:
	// PATCH body: {"name":null,"metadata":{"old":null,"ticket":"T-9"}}
	// conv_conversation_1 "" map[ticket:T-9]
}

// Iterate over every conversation; pages are fetched as needed.
func ExampleConversationsService_All() {
	srv := fakeAPI()
	defer srv.Close()
	v2 := newV2(srv.URL)

	var ids []string
	for conv, err := range v2.Conversations.All(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, conv.ID+":"+string(conv.Status))
	}
	fmt.Println(strings.Join(ids, " "))
	// Output: conv_conversation_1:ACTIVE conv_conversation_2:CLOSED
}

// A failed operation is an *OperationError with RFC 9457 problem details;
// a 409 names the conflicting resource.
func ExampleOperationError() {
	err := error(&orchestrator.OperationError{OperationID: "proc_job_2",
		Problem: orchestrator.ProblemDetails{Title: "Conflict", Status: 409, Detail: "service already bridged"}})
	fmt.Println(err)
	// Output: orchestrator: operation proc_job_2 failed: Conflict: service already bridged (status 409)
}
