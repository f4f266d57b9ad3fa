package conversationstest

import (
	"container/heap"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// State as JSON: SaveState writes everything the fake holds for the
// account, LoadState replaces it, so that a test or the emulator can start
// from seed data and keep what it made between runs. The format is
// snake_case JSON with the API's field names where the API has one; see
// docs/emulator.md for an example. On load, every "sid" and date is
// optional (a fresh SID, the fake's current time), as are the fields the
// API defaults (attributes "{}", state "active", notification_level
// "default", message indexes 0, 1, 2, ...), so a seed file can be short:
//
//	{"version": 1, "services": [{"friendly_name": "Support",
//	  "conversations": [{"unique_name": "ticket-1",
//	    "participants": [{"identity": "alice"}],
//	    "messages": [{"author": "alice", "body": "hello"}]}]}]}
//
// Lists are in creation order (what list operations return). The first
// service is the account's default unless default_chat_service_sid names
// another; with no services at all, the default one (DefaultServiceSID) is
// created. Recorded requests, webhook deliveries and faults are not state,
// nor, today, anything of the v2 API (it starts empty after a load).

// stateVersion is the format version SaveState writes and LoadState reads.
const stateVersion = 1

type stateJSON struct {
	Version               int              `json:"version"`
	DefaultChatServiceSID string           `json:"default_chat_service_sid,omitempty"`
	Configuration         *configJSON      `json:"configuration,omitempty"`
	WebhookConfiguration  *accountHookJSON `json:"webhook_configuration,omitempty"`
	Services              []serviceJSON    `json:"services"`
	Credentials           []credentialJSON `json:"credentials,omitempty"`
	AddressConfigurations []addressJSON    `json:"address_configurations,omitempty"`
	Media                 []mediaJSON      `json:"media,omitempty"`
}

type configJSON struct {
	DefaultMessagingServiceSID *string `json:"default_messaging_service_sid,omitempty"`
	DefaultInactiveTimer       string  `json:"default_inactive_timer,omitempty"`
	DefaultClosedTimer         string  `json:"default_closed_timer,omitempty"`
}

type accountHookJSON struct {
	Method         string   `json:"method,omitempty"`
	Filters        []string `json:"filters,omitempty"`
	PreWebhookURL  string   `json:"pre_webhook_url,omitempty"`
	PostWebhookURL string   `json:"post_webhook_url,omitempty"`
	Target         string   `json:"target,omitempty"`
}

type dates struct {
	DateCreated *time.Time `json:"date_created,omitempty"`
	DateUpdated *time.Time `json:"date_updated,omitempty"`
}

type serviceJSON struct {
	SID          string             `json:"sid,omitempty"`
	FriendlyName string             `json:"friendly_name"`
	Config       *serviceConfigJSON `json:"configuration,omitempty"`
	Notif        *serviceNotifJSON  `json:"notifications,omitempty"`
	Webhooks     *serviceHookJSON   `json:"webhooks,omitempty"`
	Conv         []conversationJSON `json:"conversations,omitempty"`
	Users        []userJSON         `json:"users,omitempty"`
	Roles        []roleJSON         `json:"roles,omitempty"`
	Bindings     []bindingJSON      `json:"bindings,omitempty"`
	dates
}

type serviceConfigJSON struct {
	CreatorRoleSID      string `json:"default_conversation_creator_role_sid,omitempty"`
	ConversationRoleSID string `json:"default_conversation_role_sid,omitempty"`
	ServiceRoleSID      string `json:"default_chat_service_role_sid,omitempty"`
	Reachability        bool   `json:"reachability_enabled,omitempty"`
}

type notifJSON struct {
	Enabled  bool   `json:"enabled,omitempty"`
	Template string `json:"template,omitempty"`
	Sound    string `json:"sound,omitempty"`
}

func toNotifJSON(n notifSettings) notifJSON {
	return notifJSON{Enabled: n.enabled, Template: n.template, Sound: n.sound}
}

func fromNotifJSON(n notifJSON) notifSettings {
	return notifSettings{enabled: n.Enabled, template: n.Template, sound: n.Sound}
}

type serviceNotifJSON struct {
	LogEnabled        bool      `json:"log_enabled,omitempty"`
	NewMessage        notifJSON `json:"new_message"`
	BadgeCount        bool      `json:"new_message_badge_count_enabled,omitempty"`
	WithMediaEnabled  bool      `json:"new_message_with_media_enabled,omitempty"`
	WithMediaTemplate string    `json:"new_message_with_media_template,omitempty"`
	Added             notifJSON `json:"added_to_conversation"`
	Removed           notifJSON `json:"removed_from_conversation"`
}

type serviceHookJSON struct {
	PreWebhookURL  string    `json:"pre_webhook_url,omitempty"`
	PostWebhookURL string    `json:"post_webhook_url,omitempty"`
	Filters        *[]string `json:"filters,omitempty"`
	Method         string    `json:"method,omitempty"`
}

type conversationJSON struct {
	SID                 string            `json:"sid,omitempty"`
	UniqueName          string            `json:"unique_name,omitempty"`
	FriendlyName        string            `json:"friendly_name,omitempty"`
	Attributes          string            `json:"attributes,omitempty"`
	MessagingServiceSID *string           `json:"messaging_service_sid,omitempty"`
	State               string            `json:"state,omitempty"`
	TimerInactive       string            `json:"timers_inactive,omitempty"`
	TimerClosed         string            `json:"timers_closed,omitempty"`
	DateInactive        *time.Time        `json:"date_inactive,omitempty"`
	DateClosed          *time.Time        `json:"date_closed,omitempty"`
	EmailAddress        string            `json:"email_address,omitempty"`
	EmailName           string            `json:"email_name,omitempty"`
	CreatedBy           string            `json:"created_by,omitempty"`
	NextIndex           int               `json:"next_message_index,omitempty"`
	Participants        []participantJSON `json:"participants,omitempty"`
	Messages            []messageJSON     `json:"messages,omitempty"`
	Webhooks            []webhookJSON     `json:"webhooks,omitempty"`
	dates
}

type participantJSON struct {
	SID               string `json:"sid,omitempty"`
	Identity          string `json:"identity,omitempty"`
	Address           string `json:"address,omitempty"`
	ProxyAddress      string `json:"proxy_address,omitempty"`
	ProjectedAddress  string `json:"projected_address,omitempty"`
	Attributes        string `json:"attributes,omitempty"`
	RoleSID           string `json:"role_sid,omitempty"`
	LastReadIndex     *int   `json:"last_read_message_index,omitempty"`
	LastReadTimestamp string `json:"last_read_timestamp,omitempty"`
	NotificationLevel string `json:"notification_level,omitempty"`
	dates
}

type messageJSON struct {
	SID            string        `json:"sid,omitempty"`
	Index          *int          `json:"index,omitempty"`
	Author         string        `json:"author,omitempty"`
	Body           string        `json:"body,omitempty"`
	Attributes     string        `json:"attributes,omitempty"`
	ParticipantSID string        `json:"participant_sid,omitempty"`
	MediaSID       string        `json:"media_sid,omitempty"`
	ContentSID     string        `json:"content_sid,omitempty"`
	Subject        string        `json:"subject,omitempty"`
	Receipts       []receiptJSON `json:"receipts,omitempty"`
	dates
}

type receiptJSON struct {
	SID               string `json:"sid,omitempty"`
	ParticipantSID    string `json:"participant_sid"`
	ChannelMessageSID string `json:"channel_message_sid,omitempty"`
	Status            string `json:"status,omitempty"`
	ErrorCode         int    `json:"error_code,omitempty"`
	dates
}

type webhookJSON struct {
	SID         string    `json:"sid,omitempty"`
	Target      string    `json:"target"`
	URL         string    `json:"url,omitempty"`
	Method      string    `json:"method,omitempty"`
	Filters     *[]string `json:"filters,omitempty"`
	Triggers    *[]string `json:"triggers,omitempty"`
	FlowSID     string    `json:"flow_sid,omitempty"`
	ReplayAfter *int      `json:"replay_after,omitempty"`
	dates
}

type userJSON struct {
	SID          string `json:"sid,omitempty"`
	Identity     string `json:"identity"`
	FriendlyName string `json:"friendly_name,omitempty"`
	Attributes   string `json:"attributes,omitempty"`
	RoleSID      string `json:"role_sid,omitempty"`
	dates
}

type roleJSON struct {
	SID          string   `json:"sid,omitempty"`
	FriendlyName string   `json:"friendly_name"`
	Type         string   `json:"type"`
	Permissions  []string `json:"permissions"`
	dates
}

type bindingJSON struct {
	SID           string   `json:"sid,omitempty"`
	CredentialSID string   `json:"credential_sid,omitempty"`
	Endpoint      string   `json:"endpoint,omitempty"`
	Identity      string   `json:"identity"`
	BindingType   string   `json:"binding_type"`
	MessageTypes  []string `json:"message_types"` // null: the default three
	dates
}

type credentialJSON struct {
	SID          string `json:"sid,omitempty"`
	FriendlyName string `json:"friendly_name,omitempty"`
	Type         string `json:"type"`
	Sandbox      bool   `json:"sandbox,omitempty"`
	dates
}

type addressJSON struct {
	SID          string           `json:"sid,omitempty"`
	Type         string           `json:"type"`
	Address      string           `json:"address"`
	FriendlyName string           `json:"friendly_name,omitempty"`
	Country      string           `json:"address_country,omitempty"`
	AutoCreation autoCreationJSON `json:"auto_creation"`
	dates
}

type autoCreationJSON struct {
	Enabled        bool     `json:"enabled,omitempty"`
	Type           string   `json:"type,omitempty"`
	ServiceSID     string   `json:"conversation_service_sid,omitempty"`
	WebhookURL     string   `json:"webhook_url,omitempty"`
	WebhookMethod  string   `json:"webhook_method,omitempty"`
	WebhookFilters []string `json:"webhook_filters,omitempty"`
	StudioFlowSID  string   `json:"studio_flow_sid,omitempty"`
	StudioRetries  *int     `json:"studio_retry_count,omitempty"`
}

type mediaJSON struct {
	SID            string `json:"sid,omitempty"`
	ChatServiceSID string `json:"chat_service_sid,omitempty"`
	ContentType    string `json:"content_type"`
	Filename       string `json:"filename,omitempty"`
	Content        []byte `json:"content"` // base64 in JSON
	dates
}

// SaveState writes the fake's whole state (every service with its
// conversations, participants, messages, receipts, webhooks, users, roles
// and bindings; credentials, address configurations, the account
// configuration and media) as indented JSON, which LoadState reads back.
// It holds no credentials: not the auth token, nor the account SID. It is
// the v1 state only: the v2 (Conversation Orchestrator) state is not saved,
// and LoadState starts it empty.
func (s *Server) SaveState(w io.Writer) error {
	s.mu.Lock()
	out := s.st.toJSON()
	b, err := json.MarshalIndent(out, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("conversationstest: encoding state: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// LoadState replaces the fake's state with the JSON state r holds (from
// SaveState, or seed data written by hand; the format is described at the
// top of snapshot.go and in docs/emulator.md). It checks what the API would
// refuse (SID shapes, unique names and identities, a participant with both
// an identity and an address, two open conversations with one address
// binding, references to missing participants, roles or media, unknown
// fields) and leaves the state unchanged when r is not valid. Recorded
// requests and deliveries are kept.
func (s *Server) LoadState(r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var in stateJSON
	if err := dec.Decode(&in); err != nil {
		return fmt.Errorf("conversationstest: reading state: %w", err)
	}
	if in.Version != stateVersion {
		return fmt.Errorf("conversationstest: state version %d is not %d", in.Version, stateVersion)
	}
	now := s.Now()
	st, err := s.stateFromJSON(&in, now)
	if err != nil {
		return fmt.Errorf("conversationstest: state: %w", err)
	}
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	return nil
}

func stamp(b base) dates {
	c, u := b.created, b.updated
	return dates{DateCreated: &c, DateUpdated: &u}
}

func optStrs(s []string) *[]string {
	if s == nil {
		return nil
	}
	c := append([]string{}, s...)
	return &c
}

func (st *state) toJSON() *stateJSON {
	ms := st.config.messagingServiceSID
	out := &stateJSON{
		Version:               stateVersion,
		DefaultChatServiceSID: st.defaultSvc,
		Configuration: &configJSON{
			DefaultMessagingServiceSID: &ms,
			DefaultInactiveTimer:       st.config.inactiveTimer,
			DefaultClosedTimer:         st.config.closedTimer,
		},
		WebhookConfiguration: &accountHookJSON{
			Method: st.configHook.method, Filters: st.configHook.filters,
			PreWebhookURL: st.configHook.pre, PostWebhookURL: st.configHook.post, Target: st.configHook.target,
		},
		Services: []serviceJSON{},
	}
	for _, svc := range sorted(st.services, func(s *service) int64 { return s.seq }) {
		sj := serviceJSON{
			SID: svc.sid, FriendlyName: svc.friendlyName, dates: stamp(svc.base),
			Config: &serviceConfigJSON{
				CreatorRoleSID: svc.cfg.creatorRoleSID, ConversationRoleSID: svc.cfg.conversationRoleSID,
				ServiceRoleSID: svc.cfg.serviceRoleSID, Reachability: svc.cfg.reachability,
			},
			Notif: &serviceNotifJSON{
				LogEnabled:        svc.notif.logEnabled,
				NewMessage:        toNotifJSON(svc.notif.newMessage),
				BadgeCount:        svc.notif.badgeCount,
				WithMediaEnabled:  svc.notif.withMediaEnabled,
				WithMediaTemplate: svc.notif.withMediaTemplate,
				Added:             toNotifJSON(svc.notif.added),
				Removed:           toNotifJSON(svc.notif.removed),
			},
			Webhooks: &serviceHookJSON{
				PreWebhookURL: svc.hook.pre, PostWebhookURL: svc.hook.post,
				Filters: optStrs(svc.hook.filters), Method: svc.hook.method,
			},
		}
		for _, c := range svc.convOrder {
			sj.Conv = append(sj.Conv, c.toJSON())
		}
		for _, u := range svc.userOrder {
			sj.Users = append(sj.Users, userJSON{
				SID: u.sid, Identity: u.identity, FriendlyName: u.friendlyName,
				Attributes: u.attributes, RoleSID: u.roleSID, dates: stamp(u.base),
			})
		}
		for _, r := range sorted(svc.roles, func(r *role) int64 { return r.seq }) {
			sj.Roles = append(sj.Roles, roleJSON{
				SID: r.sid, FriendlyName: r.friendlyName, Type: r.typ,
				Permissions: append([]string{}, r.permissions...), dates: stamp(r.base),
			})
		}
		for _, b := range sorted(svc.bindings, func(b *binding) int64 { return b.seq }) {
			sj.Bindings = append(sj.Bindings, bindingJSON{
				SID: b.sid, CredentialSID: b.credentialSID, Endpoint: b.endpoint, Identity: b.identity,
				BindingType: b.bindingType, MessageTypes: append([]string{}, b.messageTypes...), dates: stamp(b.base),
			})
		}
		out.Services = append(out.Services, sj)
	}
	for _, c := range sorted(st.credentials, func(c *credential) int64 { return c.seq }) {
		out.Credentials = append(out.Credentials, credentialJSON{
			SID: c.sid, FriendlyName: c.friendlyName, Type: c.typ, Sandbox: c.sandbox, dates: stamp(c.base),
		})
	}
	for _, a := range sorted(st.addresses, func(a *addressConfig) int64 { return a.seq }) {
		out.AddressConfigurations = append(out.AddressConfigurations, addressJSON{
			SID: a.sid, Type: a.typ, Address: a.address, FriendlyName: a.friendlyName, Country: a.country,
			AutoCreation: autoCreationJSON{
				Enabled: a.auto.enabled, Type: a.auto.typ, ServiceSID: a.auto.serviceSID,
				WebhookURL: a.auto.webhookURL, WebhookMethod: a.auto.webhookMethod,
				WebhookFilters: a.auto.webhookFilters, StudioFlowSID: a.auto.studioFlowSID,
				StudioRetries: a.auto.studioRetries,
			},
			dates: stamp(a.base),
		})
	}
	if st.media != nil {
		for _, f := range sorted(st.media.files, func(f *mediaFile) int64 { return f.seq }) {
			out.Media = append(out.Media, mediaJSON{
				SID: f.sid, ChatServiceSID: f.svc, ContentType: f.contentType, Filename: f.filename,
				Content: f.data, dates: stamp(f.base),
			})
		}
	}
	return out
}

func (c *conversation) toJSON() conversationJSON {
	ms := c.messagingServiceSID
	cj := conversationJSON{
		SID: c.sid, UniqueName: c.uniqueName, FriendlyName: c.friendlyName, Attributes: c.attributes,
		MessagingServiceSID: &ms, State: c.state, TimerInactive: c.timerInactive, TimerClosed: c.timerClosed,
		EmailAddress: c.emailAddress, EmailName: c.emailName, CreatedBy: c.createdBy,
		NextIndex: c.nextIndex, dates: stamp(c.base),
	}
	if !c.dateInactive.IsZero() {
		t := c.dateInactive
		cj.DateInactive = &t
	}
	if !c.dateClosed.IsZero() {
		t := c.dateClosed
		cj.DateClosed = &t
	}
	for _, p := range sorted(c.participants, func(p *participant) int64 { return p.seq }) {
		cj.Participants = append(cj.Participants, participantJSON{
			SID: p.sid, Identity: p.identity, Address: p.address, ProxyAddress: p.proxyAddress,
			ProjectedAddress: p.projectedAddress, Attributes: p.attributes, RoleSID: p.roleSID,
			LastReadIndex: p.lastReadIndex, LastReadTimestamp: p.lastReadTimestamp,
			NotificationLevel: p.notificationLevel, dates: stamp(p.base),
		})
	}
	for _, m := range c.msgOrder {
		i := m.index
		mj := messageJSON{
			SID: m.sid, Index: &i, Author: m.author, Body: m.body, Attributes: m.attributes,
			ParticipantSID: m.participantSID, MediaSID: m.mediaSID, ContentSID: m.contentSID,
			Subject: m.subject, dates: stamp(m.base),
		}
		for _, r := range sorted(m.receipts, func(r *receipt) int64 { return r.seq }) {
			mj.Receipts = append(mj.Receipts, receiptJSON{
				SID: r.sid, ParticipantSID: r.participantSID, ChannelMessageSID: r.channelMessageSID,
				Status: r.status, ErrorCode: r.errorCode, dates: stamp(r.base),
			})
		}
		cj.Messages = append(cj.Messages, mj)
	}
	for _, w := range sorted(c.webhooks, func(w *webhook) int64 { return w.seq }) {
		cj.Webhooks = append(cj.Webhooks, webhookJSON{
			SID: w.sid, Target: w.target, URL: w.url, Method: w.method, Filters: optStrs(w.filters),
			Triggers: optStrs(w.triggers), FlowSID: w.flowSID, ReplayAfter: w.replayAfter, dates: stamp(w.base),
		})
	}
	return cj
}

// loader builds a state from JSON, checking it as it goes.
type loader struct {
	st   *state
	now  time.Time
	sids map[string]string // every SID loaded -> where
	errs []string
}

func (l *loader) fail(format string, args ...any) {
	if len(l.errs) < 20 {
		l.errs = append(l.errs, fmt.Sprintf(format, args...))
	}
}

// base makes the base of a loaded resource: its SID (checked, or a fresh
// one) and dates (or now), and the next sequence number.
func (l *loader) base(prefix, sid string, d dates, where string) base {
	if sid == "" {
		sid = newSID(prefix)
	} else if !isSID(sid, prefix) {
		l.fail("%s: sid %q is not a %s SID (%s and 32 hex digits)", where, sid, prefix, prefix)
	} else if prev, dup := l.sids[sid]; dup {
		l.fail("%s: sid %s is also %s", where, sid, prev)
	}
	l.sids[sid] = where
	l.st.seq++
	l.st.seqOf[sid] = l.st.seq
	b := base{sid: sid, seq: l.st.seq, created: l.now, updated: l.now}
	if d.DateCreated != nil {
		b.created = d.DateCreated.UTC().Truncate(time.Second)
		b.updated = b.created
	}
	if d.DateUpdated != nil {
		b.updated = d.DateUpdated.UTC().Truncate(time.Second)
	}
	return b
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (l *loader) attrs(s, where string) string {
	if s == "" {
		return "{}"
	}
	if !json.Valid([]byte(s)) {
		l.fail("%s: attributes %q are not JSON", where, s)
	}
	return s
}

func (l *loader) timer(s, where string) string {
	if s != "" {
		if _, err := parseDuration(s); err != nil {
			l.fail("%s: %v", where, err)
		}
	}
	return s
}

func (s *Server) stateFromJSON(in *stateJSON, now time.Time) (*state, error) {
	st := s.newState()
	// newState made the default service: start from an empty account.
	st.services, st.seqOf, st.seq, st.defaultSvc = map[string]*service{}, map[string]int64{}, 0, ""
	l := &loader{st: st, now: now, sids: map[string]string{}}

	if c := in.Configuration; c != nil {
		if c.DefaultMessagingServiceSID != nil {
			st.config.messagingServiceSID = *c.DefaultMessagingServiceSID
		}
		st.config.inactiveTimer = l.timer(c.DefaultInactiveTimer, "configuration.default_inactive_timer")
		st.config.closedTimer = l.timer(c.DefaultClosedTimer, "configuration.default_closed_timer")
	}
	if h := in.WebhookConfiguration; h != nil {
		st.configHook = accountWebhook{
			method: orDefault(h.Method, "POST"), filters: h.Filters, pre: h.PreWebhookURL,
			post: h.PostWebhookURL, target: orDefault(h.Target, "webhook"),
		}
	}
	// Credentials and media first: services and messages refer to them.
	for i, cj := range in.Credentials {
		where := fmt.Sprintf("credentials[%d]", i)
		if cj.Type != "apn" && cj.Type != "fcm" && cj.Type != "gcm" {
			l.fail("%s: type %q is not apn, fcm or gcm", where, cj.Type)
		}
		c := &credential{base: l.base("CR", cj.SID, cj.dates, where), friendlyName: cj.FriendlyName, typ: cj.Type, sandbox: cj.Sandbox}
		st.credentials[c.sid] = c
	}
	if len(in.Services) == 0 {
		svc := newService(l.base("IS", DefaultServiceSID, dates{}, "the default service"), "Default Conversations Service")
		st.services[svc.sid] = svc
		st.defaultSvc = svc.sid
	}
	var services []*service
	for i := range in.Services {
		svc := l.service(&in.Services[i], fmt.Sprintf("services[%d]", i))
		st.services[svc.sid] = svc
		services = append(services, svc)
		if st.defaultSvc == "" {
			st.defaultSvc = svc.sid
		}
	}
	if in.DefaultChatServiceSID != "" {
		if st.services[in.DefaultChatServiceSID] == nil {
			l.fail("default_chat_service_sid %s names none of the services", in.DefaultChatServiceSID)
		}
		st.defaultSvc = in.DefaultChatServiceSID
	}
	media := map[string]*mediaFile{}
	for i, mj := range in.Media {
		where := fmt.Sprintf("media[%d]", i)
		svc := orDefault(mj.ChatServiceSID, st.defaultSvc)
		if st.services[svc] == nil {
			l.fail("%s: chat_service_sid %s names none of the services", where, svc)
		}
		if mj.ContentType == "" {
			l.fail("%s: needs a content_type", where)
		}
		f := &mediaFile{base: l.base("ME", mj.SID, mj.dates, where), svc: svc, contentType: mj.ContentType, filename: mj.Filename, data: mj.Content}
		media[f.sid] = f
	}
	if len(media) > 0 {
		st.mediaStore().files = media
	}
	// Conversations after every service exists (and media is known).
	for i, svc := range services {
		for j := range in.Services[i].Conv {
			l.conversation(svc, &in.Services[i].Conv[j], fmt.Sprintf("services[%d].conversations[%d]", i, j))
		}
	}
	for i, aj := range in.AddressConfigurations {
		where := fmt.Sprintf("address_configurations[%d]", i)
		if aj.Type == "" || aj.Address == "" {
			l.fail("%s: needs a type and an address", where)
		}
		if aj.AutoCreation.ServiceSID != "" && st.services[aj.AutoCreation.ServiceSID] == nil {
			l.fail("%s: auto_creation.conversation_service_sid %s names none of the services", where, aj.AutoCreation.ServiceSID)
		}
		a := &addressConfig{
			base: l.base("IG", aj.SID, aj.dates, where), typ: aj.Type, address: aj.Address,
			friendlyName: aj.FriendlyName, country: aj.Country,
			auto: autoCreation{
				enabled: aj.AutoCreation.Enabled, typ: aj.AutoCreation.Type, serviceSID: aj.AutoCreation.ServiceSID,
				webhookURL: aj.AutoCreation.WebhookURL, webhookMethod: aj.AutoCreation.WebhookMethod,
				webhookFilters: aj.AutoCreation.WebhookFilters, studioFlowSID: aj.AutoCreation.StudioFlowSID,
				studioRetries: aj.AutoCreation.StudioRetries,
			},
		}
		st.addresses[a.sid] = a
	}
	if len(l.errs) > 0 {
		return nil, errors.New(strings.Join(l.errs, "; "))
	}
	return st, nil
}

func (l *loader) service(sj *serviceJSON, where string) *service {
	svc := newService(l.base("IS", sj.SID, sj.dates, where), sj.FriendlyName)
	if c := sj.Config; c != nil {
		svc.cfg = serviceConfig{
			creatorRoleSID: c.CreatorRoleSID, conversationRoleSID: c.ConversationRoleSID,
			serviceRoleSID: c.ServiceRoleSID, reachability: c.Reachability,
		}
	}
	if n := sj.Notif; n != nil {
		svc.notif = serviceNotification{
			logEnabled: n.LogEnabled, newMessage: fromNotifJSON(n.NewMessage), badgeCount: n.BadgeCount,
			withMediaEnabled: n.WithMediaEnabled, withMediaTemplate: n.WithMediaTemplate,
			added: fromNotifJSON(n.Added), removed: fromNotifJSON(n.Removed),
		}
	}
	if h := sj.Webhooks; h != nil {
		svc.hook = serviceWebhook{pre: h.PreWebhookURL, post: h.PostWebhookURL, method: h.Method}
		if h.Filters != nil {
			svc.hook.filters = append([]string{}, (*h.Filters)...)
		}
	}
	for i, rj := range sj.Roles {
		w := fmt.Sprintf("%s.roles[%d]", where, i)
		if rj.Type != "conversation" && rj.Type != "service" {
			l.fail("%s: type %q is not conversation or service", w, rj.Type)
		}
		r := &role{base: l.base("RL", rj.SID, rj.dates, w), svc: svc, friendlyName: rj.FriendlyName, typ: rj.Type, permissions: append([]string{}, rj.Permissions...)}
		svc.roles[r.sid] = r
	}
	for _, rs := range []string{svc.cfg.creatorRoleSID, svc.cfg.conversationRoleSID, svc.cfg.serviceRoleSID} {
		if rs != "" && svc.roles[rs] == nil {
			l.fail("%s.configuration: role %s is none of the service's roles", where, rs)
		}
	}
	for i, uj := range sj.Users {
		w := fmt.Sprintf("%s.users[%d]", where, i)
		if uj.Identity == "" {
			l.fail("%s: needs an identity", w)
		} else if svc.byIdentity[uj.Identity] != nil {
			l.fail("%s: identity %q is taken by another user", w, uj.Identity)
		}
		u := &user{
			base: l.base("US", uj.SID, uj.dates, w), svc: svc, identity: uj.Identity, friendlyName: uj.FriendlyName,
			attributes: l.attrs(uj.Attributes, w), roleSID: orDefault(uj.RoleSID, svc.cfg.serviceRoleSID),
		}
		l.checkRole(svc, u.roleSID, w)
		svc.storeUser(u)
	}
	for i, bj := range sj.Bindings {
		w := fmt.Sprintf("%s.bindings[%d]", where, i)
		ok := false
		for _, t := range bindingTypes {
			ok = ok || t == bj.BindingType
		}
		if !ok || bj.Identity == "" {
			l.fail("%s: needs an identity and a binding_type of %s", w, strings.Join(bindingTypes, ", "))
		}
		if bj.CredentialSID != "" && l.st.credentials[bj.CredentialSID] == nil {
			l.fail("%s: credential_sid %s names none of the credentials", w, bj.CredentialSID)
		}
		mt := bj.MessageTypes
		if mt == nil {
			mt = []string{"new_message", "added_to_conversation", "removed_from_conversation"}
		}
		b := &binding{
			base: l.base("BS", bj.SID, bj.dates, w), svc: svc, credentialSID: bj.CredentialSID,
			endpoint: orDefault(bj.Endpoint, bj.Identity+"-endpoint"), identity: bj.Identity,
			bindingType: bj.BindingType, messageTypes: append([]string{}, mt...),
		}
		svc.bindings[b.sid] = b
	}
	return svc
}

func (l *loader) checkRole(svc *service, sid, where string) {
	if sid != "" && svc.roles[sid] == nil {
		l.fail("%s: role_sid %s is none of the service's roles", where, sid)
	}
}

func (l *loader) conversation(svc *service, cj *conversationJSON, where string) {
	st := l.st
	c := &conversation{
		base:                l.base("CH", cj.SID, cj.dates, where),
		svc:                 svc,
		friendlyName:        cj.FriendlyName,
		attributes:          l.attrs(cj.Attributes, where),
		messagingServiceSID: st.config.messagingServiceSID,
		state:               orDefault(cj.State, "active"),
		timerInactive:       l.timer(cj.TimerInactive, where+".timers_inactive"),
		timerClosed:         l.timer(cj.TimerClosed, where+".timers_closed"),
		emailAddress:        cj.EmailAddress,
		emailName:           cj.EmailName,
		createdBy:           orDefault(cj.CreatedBy, "system"),
		participants:        map[string]*participant{},
		messages:            map[string]*message{},
		webhooks:            map[string]*webhook{},
	}
	if cj.MessagingServiceSID != nil {
		c.messagingServiceSID = *cj.MessagingServiceSID
	}
	valid := false
	for _, s := range conversationStates {
		valid = valid || s == c.state
	}
	if !valid {
		l.fail("%s: state %q is not one of %s", where, c.state, strings.Join(conversationStates, ", "))
	}
	if cj.UniqueName != "" {
		if isSID(cj.UniqueName, "CH") || svc.byUniqueName[cj.UniqueName] != nil {
			l.fail("%s: unique_name %q is a conversation SID or taken by another conversation", where, cj.UniqueName)
		}
	}
	c.uniqueName = cj.UniqueName
	svc.storeConversation(c)

	for i, pj := range cj.Participants {
		w := fmt.Sprintf("%s.participants[%d]", where, i)
		p := &participant{
			base: l.base("MB", pj.SID, pj.dates, w), conv: c, identity: pj.Identity,
			attributes: l.attrs(pj.Attributes, w), roleSID: orDefault(pj.RoleSID, svc.cfg.conversationRoleSID),
			address: pj.Address, proxyAddress: pj.ProxyAddress, projectedAddress: pj.ProjectedAddress,
			lastReadIndex: pj.LastReadIndex, lastReadTimestamp: pj.LastReadTimestamp,
			notificationLevel: orDefault(pj.NotificationLevel, "default"),
		}
		l.checkRole(svc, p.roleSID, w)
		switch {
		case p.identity == "" && p.address == "":
			l.fail("%s: needs an identity or an address", w)
		case p.identity != "" && p.address != "":
			l.fail("%s: has an identity and an address; a participant has one of them", w)
		case p.identity != "":
			if c.participantByKey(p.identity) != nil {
				l.fail("%s: identity %q is taken by another participant", w, p.identity)
			}
			if p.projectedAddress != "" {
				p.bindingType = "sms"
			}
		default:
			p.bindingType = bindingTypeOf(p.address)
			if c.state != "closed" {
				if owner := st.bindingOwner(p.address, p.proxyAddress); owner != nil {
					l.fail("%s: address %q with proxy_address %q is already in open conversation %s", w, p.address, p.proxyAddress, owner.sid)
				}
			}
			st.indexBinding(p)
		}
		c.participants[p.sid] = p
	}
	for i, mj := range cj.Messages {
		w := fmt.Sprintf("%s.messages[%d]", where, i)
		m := &message{
			base: l.base("IM", mj.SID, mj.dates, w), conv: c, index: c.nextIndex, author: orDefault(mj.Author, "system"),
			body: mj.Body, attributes: l.attrs(mj.Attributes, w), participantSID: mj.ParticipantSID,
			mediaSID: mj.MediaSID, contentSID: mj.ContentSID, subject: mj.Subject, receipts: map[string]*receipt{},
		}
		if mj.Index != nil {
			if *mj.Index < c.nextIndex {
				l.fail("%s: index %d is not above the previous message's", w, *mj.Index)
			}
			m.index = *mj.Index
		}
		c.nextIndex = m.index + 1
		if m.participantSID == "" {
			if p := authorParticipant(c, m.author); p != nil {
				m.participantSID = p.sid
			}
		} else if c.participants[m.participantSID] == nil {
			l.fail("%s: participant_sid %s is none of the conversation's participants", w, m.participantSID)
		}
		if m.mediaSID != "" {
			f := st.mediaStore().files[m.mediaSID]
			switch {
			case f == nil || f.svc != svc.sid:
				l.fail("%s: media_sid %s names none of the media of the conversation's service", w, m.mediaSID)
			case f.msg != nil:
				l.fail("%s: media %s is attached to message %s too", w, m.mediaSID, f.msg.sid)
			default:
				f.attach(m)
			}
		}
		for k, rj := range mj.Receipts {
			rw := fmt.Sprintf("%s.receipts[%d]", w, k)
			if c.participants[rj.ParticipantSID] == nil {
				l.fail("%s: participant_sid %q is none of the conversation's participants", rw, rj.ParticipantSID)
			}
			r := &receipt{
				base: l.base("DY", rj.SID, rj.dates, rw), msg: m, participantSID: rj.ParticipantSID,
				channelMessageSID: rj.ChannelMessageSID, status: orDefault(rj.Status, "sent"), errorCode: rj.ErrorCode,
			}
			if r.channelMessageSID == "" {
				r.channelMessageSID = newSID("SM")
			}
			m.receipts[r.sid] = r
			st.receiptIndex[r.sid] = r
		}
		c.storeMessage(m)
	}
	if cj.NextIndex > c.nextIndex {
		c.nextIndex = cj.NextIndex
	}
	for i, wj := range cj.Webhooks {
		w := fmt.Sprintf("%s.webhooks[%d]", where, i)
		if wj.Target != "webhook" && wj.Target != "trigger" && wj.Target != "studio" {
			l.fail("%s: target %q is not webhook, trigger or studio", w, wj.Target)
		}
		h := &webhook{
			base: l.base("WH", wj.SID, wj.dates, w), conv: c, target: wj.Target, url: wj.URL, method: wj.Method,
			flowSID: wj.FlowSID, replayAfter: wj.ReplayAfter,
		}
		if wj.Filters != nil {
			h.filters = append([]string{}, (*wj.Filters)...)
		}
		if wj.Triggers != nil {
			h.triggers = append([]string{}, (*wj.Triggers)...)
		}
		c.webhooks[h.sid] = h
	}
	// State timers: armed from the saved dates; a conversation with none
	// that applies (an open one's date_inactive when active, date_closed)
	// has them armed from now, as a new conversation would.
	if cj.DateInactive != nil && c.state == "active" {
		c.dateInactive = cj.DateInactive.UTC().Truncate(time.Second)
		heap.Push(&st.timers, timerEntry{c.dateInactive, c, c.timerGen})
	}
	if cj.DateClosed != nil && c.state != "closed" {
		c.dateClosed = cj.DateClosed.UTC().Truncate(time.Second)
		heap.Push(&st.timers, timerEntry{c.dateClosed, c, c.timerGen})
	}
	if c.dateInactive.IsZero() && c.dateClosed.IsZero() {
		st.resetTimers(c, l.now)
	}
}
