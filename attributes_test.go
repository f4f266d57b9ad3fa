package conversations

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientAttributes(t *testing.T) {
	t.Run("unmarshal", func(t *testing.T) {
		var v struct {
			Topic string `json:"topic"`
			N     int    `json:"n"`
		}
		require.NoError(t, UnmarshalAttributes(`{"topic":"feedback","n":2}`, &v))
		assert.Equal(t, "feedback", v.Topic)
		assert.Equal(t, 2, v.N)
	})
	t.Run("empty string is {}", func(t *testing.T) {
		for _, s := range []string{"", "   ", "\n\t"} {
			var m map[string]any
			require.NoError(t, UnmarshalAttributes(s, &m), "%q", s)
			assert.NotNil(t, m, "%q decodes as {}", s)
			assert.Empty(t, m)
		}
	})
	t.Run("invalid", func(t *testing.T) {
		var m map[string]any
		err := UnmarshalAttributes(`{"topic":`, &m)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "conversations: decoding attributes")
		var se *json.SyntaxError
		assert.ErrorAs(t, err, &se)
	})
	t.Run("marshal", func(t *testing.T) {
		s, err := MarshalAttributes(map[string]any{"topic": "feedback", "n": 2})
		require.NoError(t, err)
		assert.Equal(t, `{"n":2,"topic":"feedback"}`, s)
		s, err = MarshalAttributes(struct {
			A string `json:"a"`
		}{"<&>"})
		require.NoError(t, err)
		var back struct {
			A string `json:"a"`
		}
		require.NoError(t, UnmarshalAttributes(s, &back))
		assert.Equal(t, "<&>", back.A)
	})
	t.Run("marshal error", func(t *testing.T) {
		_, err := MarshalAttributes(map[string]any{"c": make(chan int)})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "conversations: encoding attributes")
		var ue *json.UnsupportedTypeError
		assert.ErrorAs(t, err, &ue)
	})
}
