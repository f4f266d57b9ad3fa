package conversations

import (
	"testing"

	"github.com/conversations-go/conversations/internal/form"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNullableEncoding(t *testing.T) {
	type params struct {
		I *Nullable[int]    `url:"I,omitempty"`
		S *Nullable[string] `url:"S,omitempty"`
	}
	for _, tc := range []struct {
		name string
		p    params
		want string
	}{
		{"nil sends nothing", params{}, ""},
		{"int value", params{I: &Nullable[int]{Value: 42}}, "I=42"},
		{"int zero is a value", params{I: &Nullable[int]{}}, "I=0"},
		{"int negative", params{I: &Nullable[int]{Value: -3}}, "I=-3"},
		{"int null is an empty value, Value ignored", params{I: &Nullable[int]{Null: true, Value: 9}}, "I="},
		{"string value", params{S: &Nullable[string]{Value: "+15017122661"}}, "S=%2B15017122661"},
		{"empty string is a value", params{S: &Nullable[string]{}}, "S="},
		{"string null is the word null, Value ignored", params{S: &Nullable[string]{Null: true, Value: "x"}}, "S=null"},
		{"both", params{I: &Nullable[int]{Null: true}, S: &Nullable[string]{Null: true}}, "I=&S=null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := form.Encode(&tc.p)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestNullableParamsOfTheSpec(t *testing.T) {
	// Every param the v1 spec lets you clear: LastReadMessageIndex (nullable
	// integer) and MessagingBinding.ProxyAddress, .ProjectedAddress ("'null'
	// value will remove it").
	got, err := form.Encode(&ParticipantUpdateParams{
		LastReadMessageIndex:             &Nullable[int]{Null: true},
		MessagingBindingProxyAddress:     &Nullable[string]{Null: true},
		MessagingBindingProjectedAddress: &Nullable[string]{Null: true},
	})
	require.NoError(t, err)
	assert.Equal(t, "LastReadMessageIndex=&MessagingBinding.ProjectedAddress=null&MessagingBinding.ProxyAddress=null", got)
	got, err = form.Encode(&UserConversationUpdateParams{LastReadMessageIndex: &Nullable[int]{Null: true}})
	require.NoError(t, err)
	assert.Equal(t, "LastReadMessageIndex=", got)
}

func TestClientPtr(t *testing.T) {
	s := Ptr("x")
	require.NotNil(t, s)
	assert.Equal(t, "x", *s)
	assert.NotSame(t, Ptr("x"), s, "a new pointer each call")

	v := 3
	p := Ptr(v)
	*p = 4
	assert.Equal(t, 3, v, "Ptr copies its argument")

	assert.Equal(t, false, *Ptr(false))
	assert.Equal(t, 0, *Ptr(0))
	assert.Equal(t, ConversationStateClosed, *Ptr(ConversationStateClosed))
}
