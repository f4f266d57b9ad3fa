package conversations

import (
	"testing"

	"github.com/conversations-go/conversations/internal/form"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNullableEncoding(t *testing.T) {
	type params struct {
		I Nullable[int]    `url:"I,omitempty"`
		S Nullable[string] `url:"S,omitempty"`
		P *Nullable[int]   `url:"P,omitempty"`
	}
	for _, tc := range []struct {
		name string
		p    params
		want string
	}{
		{"unset sends nothing", params{}, ""},
		{"a pointer to a value", params{P: Ptr(Set(5))}, "P=5"},
		{"a pointer to unset sends nothing", params{P: &Nullable[int]{}}, ""},
		{"int value", params{I: Set(42)}, "I=42"},
		{"int zero is a value", params{I: Set(0)}, "I=0"},
		{"int negative", params{I: Set(-3)}, "I=-3"},
		{"int null is an empty value", params{I: Null[int]()}, "I="},
		{"string value", params{S: Set("+15017122661")}, "S=%2B15017122661"},
		{"empty string is a value", params{S: Set("")}, "S="},
		{"string null is the word null", params{S: Null[string]()}, "S=null"},
		{"both", params{I: Null[int](), S: Null[string]()}, "I=&S=null"},
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
		LastReadMessageIndex:             Null[int](),
		MessagingBindingProxyAddress:     Null[string](),
		MessagingBindingProjectedAddress: Null[string](),
	})
	require.NoError(t, err)
	assert.Equal(t, "LastReadMessageIndex=&MessagingBinding.ProjectedAddress=null&MessagingBinding.ProxyAddress=null", got)
	got, err = form.Encode(&UserConversationUpdateParams{LastReadMessageIndex: Null[int]()})
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

func TestNullableOnlyIntAndStringInAForm(t *testing.T) {
	type params struct {
		B Nullable[bool] `url:"B,omitempty"`
	}
	_, err := form.Encode(params{B: Set(true)})
	require.EqualError(t, err, "form: B: a Nullable[bool] cannot be sent in a form (int and string can)")
	got, err := form.Encode(params{})
	require.NoError(t, err)
	assert.Equal(t, "", got, "unset is never encoded")
}

func TestNullableStates(t *testing.T) {
	var unset Nullable[int]
	assert.True(t, unset.IsZero())
	assert.False(t, unset.IsNull())
	v, ok := unset.Get()
	assert.Equal(t, 0, v)
	assert.False(t, ok)

	n := Null[int]()
	assert.False(t, n.IsZero())
	assert.True(t, n.IsNull())
	_, ok = n.Get()
	assert.False(t, ok)

	s := Set(7)
	v, ok = s.Get()
	assert.Equal(t, 7, v)
	assert.True(t, ok)
	assert.False(t, s.IsZero() || s.IsNull())
}
