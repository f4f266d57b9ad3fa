package conversations_test

import (
	"context"
	"testing"

	cv "github.com/conversations-go/conversations"
	"github.com/conversations-go/conversations/conversationstest"
	"github.com/stretchr/testify/require"
)

// TestScenarioFake runs the contract scenario, unchanged, against the
// in-memory fake of package conversationstest, so the fake is held to the
// same sequence of calls as Prism serving Twilio's spec.
func TestScenarioFake(t *testing.T) {
	srv := conversationstest.NewServer(t)
	c := srv.Client()
	(&scenario{t: t, ctx: context.Background(), c: c, seedBinding: func(serviceSID string) {
		_, err := srv.AddBinding(serviceSID, conversationstest.BindingSpec{Identity: "alice", BindingType: string(cv.BindingTypeAPN)})
		require.NoError(t, err)
	}}).run()

	before := len(srv.Requests())
	checkRejected(t, rejectedBeforeSending(context.Background(), c))
	require.Len(t, srv.Requests(), before, "a rejected call reached the fake")
}
