package conversationstest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The control plane's endpoints for the fake's other test hooks (see
// ControlPlane):
//
//	POST   /_emulator/faults    fail the next requests (FailNext)
//	GET    /_emulator/faults    {"pending": n} (PendingFaults)
//	DELETE /_emulator/faults    drop the pending ones (ClearFaults)
//	POST   /_emulator/receipts  a channel's delivery report (SetReceiptStatus)
//	POST   /_emulator/bindings  a push binding (AddBinding)

// faultJSON is the body of POST /_emulator/faults: FailNext's arguments.
type faultJSON struct {
	Count         int                 `json:"count"`
	Method        string              `json:"method"`
	Path          string              `json:"path"`
	Status        int                 `json:"status"`
	Header        map[string][]string `json:"header"`
	Body          string              `json:"body"`
	Code          int                 `json:"code"`
	Message       string              `json:"message"`
	Delay         string              `json:"delay"`
	AfterHandling bool                `json:"after_handling"`
}

func (s *Server) ctlAddFault(w http.ResponseWriter, r *http.Request) {
	in := faultJSON{Count: 1}
	if !ctlDecode(w, r, &in, maxControlBody) {
		return
	}
	var delay time.Duration
	if in.Delay != "" {
		d, err := time.ParseDuration(in.Delay)
		if err != nil || d < 0 || d > 5*time.Minute {
			ctlError(w, http.StatusBadRequest, fmt.Sprintf("delay %q is not a Go duration between 0 and 5m", in.Delay))
			return
		}
		delay = d
	}
	switch {
	case in.Count < 1:
		ctlError(w, http.StatusBadRequest, "count must be 1 or more")
		return
	case !strings.HasPrefix(in.Path, "/"):
		ctlError(w, http.StatusBadRequest, fmt.Sprintf("path %q is not a URL path such as /v1/Conversations (a trailing * matches a prefix)", in.Path))
		return
	case in.Status < 100 || in.Status > 599:
		ctlError(w, http.StatusBadRequest, fmt.Sprintf("status %d is not an HTTP status", in.Status))
		return
	}
	s.FailNext(in.Count, strings.ToUpper(in.Method), in.Path, Fault{
		Status: in.Status, Header: http.Header(in.Header), Body: in.Body, Code: in.Code,
		Message: in.Message, Delay: delay, AfterHandling: in.AfterHandling,
	})
	ctlJSON(w, http.StatusCreated, map[string]int{"pending": s.PendingFaults()})
}

func (s *Server) ctlFaults(w http.ResponseWriter, _ *http.Request) {
	ctlJSON(w, http.StatusOK, map[string]int{"pending": s.PendingFaults()})
}

func (s *Server) ctlClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	ctlJSON(w, http.StatusOK, map[string]int{"pending": 0})
}

func (s *Server) ctlReceipt(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ReceiptSID string `json:"receipt_sid"`
		Status     string `json:"status"`
		ErrorCode  int    `json:"error_code"`
	}
	if !ctlDecode(w, r, &in, maxControlBody) {
		return
	}
	if err := s.SetReceiptStatus(in.ReceiptSID, in.Status, in.ErrorCode); err != nil {
		status := http.StatusBadRequest
		if strings.Contains(err.Error(), "no receipt") {
			status = http.StatusNotFound
		}
		ctlError(w, status, err.Error())
		return
	}
	ctlJSON(w, http.StatusOK, map[string]string{"receipt_sid": in.ReceiptSID, "status": in.Status})
}

func (s *Server) ctlBinding(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ChatServiceSID string   `json:"chat_service_sid"`
		Identity       string   `json:"identity"`
		BindingType    string   `json:"binding_type"`
		Endpoint       string   `json:"endpoint"`
		CredentialSID  string   `json:"credential_sid"`
		MessageTypes   []string `json:"message_types"`
	}
	if !ctlDecode(w, r, &in, maxControlBody) {
		return
	}
	svc := in.ChatServiceSID
	if svc == "" {
		svc = s.DefaultServiceSID()
	}
	sid, err := s.AddBinding(svc, BindingSpec{
		Identity: in.Identity, BindingType: in.BindingType, Endpoint: in.Endpoint,
		CredentialSID: in.CredentialSID, MessageTypes: in.MessageTypes,
	})
	if err != nil {
		status := http.StatusBadRequest
		if strings.Contains(err.Error(), "no Conversation Service") {
			status = http.StatusNotFound
		}
		ctlError(w, status, err.Error())
		return
	}
	ctlJSON(w, http.StatusCreated, map[string]string{"sid": sid, "chat_service_sid": svc})
}
