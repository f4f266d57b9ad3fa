package conversationstest

import (
	"fmt"
	"strings"
)

// BindingSpec describes a push notification binding to add with AddBinding.
// The API has no operation that creates bindings (client SDKs register
// them), so tests seed them through the fake.
type BindingSpec struct {
	// Identity is the identity of the Conversation User the binding
	// belongs to.
	Identity string
	// BindingType is "apn", "gcm", "fcm" or "twilsock".
	BindingType string
	// Endpoint is the device endpoint; by default "<identity>-endpoint".
	Endpoint string
	// CredentialSID is the push Credential the binding uses (CR...).
	CredentialSID string
	// MessageTypes are the notification types the binding receives; by
	// default new_message, added_to_conversation and
	// removed_from_conversation.
	MessageTypes []string
}

// AddBinding adds a push notification binding to the Conversation Service
// serviceSID and returns its SID (BS...).
func (s *Server) AddBinding(serviceSID string, b BindingSpec) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	svc := s.st.services[serviceSID]
	if svc == nil {
		return "", fmt.Errorf("conversationstest: no Conversation Service %s", serviceSID)
	}
	typ := strings.ToLower(b.BindingType)
	valid := false
	for _, t := range bindingTypes {
		valid = valid || t == typ
	}
	if !valid {
		return "", fmt.Errorf("conversationstest: binding type %q is not one of %s", b.BindingType, strings.Join(bindingTypes, ", "))
	}
	if b.Identity == "" {
		return "", fmt.Errorf("conversationstest: a binding needs an Identity")
	}
	if b.Endpoint == "" {
		b.Endpoint = b.Identity + "-endpoint"
	}
	if b.MessageTypes == nil {
		b.MessageTypes = []string{"new_message", "added_to_conversation", "removed_from_conversation"}
	}
	bd := &binding{
		base:          s.st.newBase("BS", s.nowLocked()),
		svc:           svc,
		credentialSID: b.CredentialSID,
		endpoint:      b.Endpoint,
		identity:      b.Identity,
		bindingType:   typ,
		messageTypes:  append([]string(nil), b.MessageTypes...),
	}
	svc.bindings[bd.sid] = bd
	return bd.sid, nil
}

// SetReceiptStatus changes the status of the delivery receipt receiptSID
// (DY...), as a channel's delivery report would: "sent", "delivered",
// "read", "failed" or "undelivered", with errorCode for failures (0
// otherwise). The message's delivery summary follows.
//
// The fake creates a receipt with status "sent" for every non-chat
// participant (SMS, WhatsApp, ...) other than the author when a message is
// created.
func (s *Server) SetReceiptStatus(receiptSID, status string, errorCode int) error {
	switch status {
	case "sent", "delivered", "read", "failed", "undelivered":
	default:
		return fmt.Errorf("conversationstest: %q is not a receipt status", status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.st.receiptIndex[receiptSID]
	if r == nil {
		return fmt.Errorf("conversationstest: no receipt %s", receiptSID)
	}
	r.status, r.errorCode = status, errorCode
	r.updated = s.nowLocked()
	// A channel's delivery report is not a REST action: its
	// onDeliveryUpdated webhook fires whatever the headers.
	c := r.msg.conv
	source := "SMS"
	if p := c.participants[r.participantSID]; p != nil && p.bindingType != "" {
		source = strings.ToUpper(p.bindingType)
	}
	s.enqueue(s.postJobs(c.svc, c, onDeliveryUpdated, source, receiptFields(r), ""))
	return nil
}
