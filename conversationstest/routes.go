package conversationstest

import "net/http"

const (
	get  = http.MethodGet
	post = http.MethodPost
	del  = http.MethodDelete
)

// route maps a path below /v1 to its handler.
func (s *Server) route(rc *reqCtx) (result, *apiError) {
	segs := rc.segs
	switch segs[0] {
	case "Configuration":
		return rc.routeAccountConfiguration(segs[1:])
	case "Credentials":
		return rc.routeCredentials(segs[1:])
	case "Services":
		if len(segs) == 1 {
			return rc.dispatch(methods{get: rc.listServices, post: rc.createService})
		}
		svc := s.st.services[segs[1]]
		if svc == nil {
			return rc.notFound()
		}
		rc.sc = scope{svc: svc, scoped: true, base: s.URL}
		if len(segs) == 2 {
			return rc.dispatch(methods{
				get: func() (result, *apiError) { return ok(rc.renderService(svc)) },
				del: func() (result, *apiError) { return rc.deleteService(svc) },
			})
		}
		return rc.routeScoped(segs[2:])
	}
	rc.sc = scope{svc: s.st.services[s.st.defaultSvc], scoped: false, base: s.URL}
	return rc.routeScoped(segs)
}

// routeScoped routes the resources that live in a Conversation Service,
// whether the path named it or not.
func (rc *reqCtx) routeScoped(segs []string) (result, *apiError) {
	n := len(segs)
	svc := rc.sc.svc
	switch segs[0] {
	case "Conversations":
		if n == 1 {
			return rc.dispatch(methods{get: rc.listConversations, post: rc.createConversation})
		}
		c := svc.conversationByKey(segs[1])
		if c == nil || (n > 2 && c.sid != segs[1]) {
			// Twilio's spec accepts a unique name in place of the SID in
			// /v1/Conversations/{Sid} only; its sub-resources
			// (/Conversations/{ConversationSid}/...) document the SID.
			return rc.notFound()
		}
		if n == 2 {
			return rc.dispatch(methods{
				get:  func() (result, *apiError) { return ok(rc.renderConversation(c, false)) },
				post: func() (result, *apiError) { return rc.updateConversation(c) },
				del: func() (result, *apiError) {
					f := removed(conversationFields(c), rc.now)
					rc.s.st.deleteConversation(c)
					rc.emit(svc, c, onConversationRemoved, f, "")
					return noContent()
				},
			})
		}
		return rc.routeConversationChild(c, segs[2:])
	case "ConversationWithParticipants":
		if n == 1 {
			return rc.dispatch(methods{post: rc.createConversationWithParticipants})
		}
	case "ParticipantConversations":
		if n == 1 {
			return rc.dispatch(methods{get: rc.listParticipantConversations})
		}
	case "Roles":
		return rc.routeRoles(segs[1:])
	case "Users":
		return rc.routeUsers(segs[1:])
	case "Bindings":
		if rc.sc.scoped {
			return rc.routeBindings(segs[1:])
		}
	case "Configuration":
		if rc.sc.scoped {
			return rc.routeServiceConfiguration(segs[1:])
		}
	}
	return rc.notFound()
}

func (rc *reqCtx) routeConversationChild(c *conversation, segs []string) (result, *apiError) {
	n := len(segs)
	switch segs[0] {
	case "Messages":
		if n == 1 {
			return rc.dispatch(methods{
				get:  func() (result, *apiError) { return rc.listMessages(c) },
				post: func() (result, *apiError) { return rc.createMessage(c) },
			})
		}
		m := c.messages[segs[1]]
		if m == nil {
			return rc.notFound()
		}
		if n == 2 {
			return rc.dispatch(methods{
				get:  func() (result, *apiError) { return ok(rc.renderMessage(m)) },
				post: func() (result, *apiError) { return rc.updateMessage(m) },
				del:  func() (result, *apiError) { return rc.deleteMessage(m) },
			})
		}
		if segs[2] != "Receipts" {
			break
		}
		if n == 3 {
			return rc.dispatch(methods{get: func() (result, *apiError) { return rc.listReceipts(m) }})
		}
		if n == 4 {
			r := m.receipts[segs[3]]
			if r == nil {
				return rc.notFound()
			}
			return rc.dispatch(methods{get: func() (result, *apiError) { return ok(rc.renderReceipt(r)) }})
		}
	case "Participants":
		if n == 1 {
			return rc.dispatch(methods{
				get:  func() (result, *apiError) { return rc.listParticipants(c) },
				post: func() (result, *apiError) { return rc.createParticipant(c) },
			})
		}
		p := c.participantByKey(segs[1])
		if p == nil || n > 2 {
			return rc.notFound()
		}
		return rc.dispatch(methods{
			get:  func() (result, *apiError) { return ok(rc.renderParticipant(p)) },
			post: func() (result, *apiError) { return rc.updateParticipant(p) },
			del:  func() (result, *apiError) { rc.removeParticipant(p); return noContent() },
		})
	case "Webhooks":
		if n == 1 {
			return rc.dispatch(methods{
				get:  func() (result, *apiError) { return rc.listWebhooks(c) },
				post: func() (result, *apiError) { return rc.createWebhook(c) },
			})
		}
		w := c.webhooks[segs[1]]
		if w == nil || n > 2 {
			return rc.notFound()
		}
		return rc.dispatch(methods{
			get:  func() (result, *apiError) { return ok(rc.renderWebhook(w)) },
			post: func() (result, *apiError) { return rc.updateWebhook(w) },
			del:  func() (result, *apiError) { delete(c.webhooks, w.sid); return noContent() },
		})
	}
	return rc.notFound()
}
