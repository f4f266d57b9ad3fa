package conversationstest

import (
	"encoding/json"
	"net/http"
)

// The control plane's Event Streams endpoints (see ControlPlane):
//
//	GET    /_emulator/eventstreams[?wait=5s]  {"events":[...],"deliveries":[...]}
//	DELETE /_emulator/eventstreams            forget them (ResetStreamDeliveries)
//
// Both answer 409 when the fake has no Event Streams sink
// (WithEventStreams; the emulator's -event-streams-url).

// streamEventJSON is a StreamEvent as the control plane lists it.
type streamEventJSON struct {
	ID    string          `json:"id"`
	Type  string          `json:"type"`
	Event json.RawMessage `json:"event"`
}

// streamDeliveryJSON is a StreamDelivery as the control plane lists it.
type streamDeliveryJSON struct {
	URL      string              `json:"url"`
	Header   map[string][]string `json:"header"`
	Body     json.RawMessage     `json:"body"`
	EventIDs []string            `json:"event_ids"`
	Attempt  int                 `json:"attempt"`
	Status   int                 `json:"status"`
	Response string              `json:"response"`
	Error    string              `json:"error,omitempty"`
	Outcome  string              `json:"outcome"`
}

const errNoSink = "no Event Streams sink: give the fake WithEventStreams (the emulator: -event-streams-url)"

func (s *Server) ctlStreams(w http.ResponseWriter, r *http.Request) {
	if s.streams == nil {
		ctlError(w, http.StatusConflict, errNoSink)
		return
	}
	if !ctlWait(w, r, s.FlushEventStreams, "Event Streams events still pending") {
		return
	}
	events := s.StreamEvents()
	outEvents := make([]streamEventJSON, len(events))
	for i, e := range events {
		outEvents[i] = streamEventJSON{ID: e.ID, Type: e.Type, Event: rawOrString(e.JSON)}
	}
	ds := s.StreamDeliveries()
	outDeliveries := make([]streamDeliveryJSON, len(ds))
	for i, d := range ds {
		outDeliveries[i] = streamDeliveryJSON{
			URL: d.URL, Header: d.Header, Body: rawOrString(d.Body), EventIDs: d.EventIDs,
			Attempt: d.Attempt, Status: d.Status, Response: d.Response, Outcome: d.Outcome,
		}
		if outDeliveries[i].EventIDs == nil {
			outDeliveries[i].EventIDs = []string{}
		}
		if d.Err != nil {
			outDeliveries[i].Error = d.Err.Error()
		}
	}
	ctlJSON(w, http.StatusOK, map[string]any{"events": outEvents, "deliveries": outDeliveries})
}

func (s *Server) ctlClearStreams(w http.ResponseWriter, _ *http.Request) {
	if s.streams == nil {
		ctlError(w, http.StatusConflict, errNoSink)
		return
	}
	s.ResetStreamDeliveries()
	ctlJSON(w, http.StatusOK, map[string]string{"status": "cleared"})
}

// rawOrString is b as a JSON value: itself when it is JSON, else a string.
func rawOrString(b []byte) json.RawMessage {
	if json.Valid(b) {
		return json.RawMessage(b)
	}
	s, _ := json.Marshal(string(b))
	return s
}
