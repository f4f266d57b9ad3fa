package conversationstest

import (
	"time"

	"github.com/conversations-go/conversations"
)

// The conversation lifecycle, as Twilio's "Conversation lifecycle" page
// describes it (https://www.twilio.com/docs/conversations/orchestrator/concepts/lifecycle):
// a conversation is ACTIVE when created; it becomes INACTIVE when the
// inactive timeout has passed since the last communication and CLOSED when
// the closed timeout has (both measured from the last communication, in
// minutes); new traffic brings an INACTIVE conversation back to ACTIVE; a
// CLOSED one is final: no new communications (nor participants or actions)
// and no reopening. The timeouts are the statusTimeouts of the channel of
// the last communication, in the conversation's copy of its
// configuration; a conversation without communications has no timers.
// Timers fire on the fake's clock (see Server.Advance) at the next v2
// request.

// tickConversations moves the conversations whose timers are due. Only
// conversations with a timer that can still fire are looked at, so a
// request costs nothing for the others.
func (v *v2ctx) tickConversations() {
	for c := range v.st.armed {
		if c.status == "CLOSED" || v.st.convs[c.id] != c {
			delete(v.st.armed, c)
			continue
		}
		t := c.cfg.channelSettings[c.lastChannel].timeouts
		if t == nil {
			delete(v.st.armed, c)
			continue
		}
		if t.closed != nil {
			if at := c.lastActivity.Add(time.Duration(*t.closed) * time.Minute); !v.now.Before(at) {
				c.status, c.updated = "CLOSED", at
				delete(v.st.armed, c)
				continue
			}
		}
		if t.inactive != nil && c.status == "ACTIVE" {
			if at := c.lastActivity.Add(time.Duration(*t.inactive) * time.Minute); !v.now.Before(at) {
				c.status, c.updated = "INACTIVE", at
			}
		}
	}
}

// errV2Closed answers a write that would add to a CLOSED conversation.
func errV2Closed(c *v2Conv) *apiError {
	return errBad(conversations.CodeBadRequest, "Conversation "+c.id+" is CLOSED: it is final and takes no new communications, participants or actions")
}

// arm notes that c's timers count from its last activity again.
func (v *v2ctx) arm(c *v2Conv) {
	if c.lastChannel != "" && c.status != "CLOSED" && c.cfg.channelSettings[c.lastChannel].timeouts != nil {
		v.st.armed[c] = true
	}
}
