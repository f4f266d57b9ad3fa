package conversationstest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// v2Operation is a long-running operation started by an async write.
type v2Operation struct {
	id        string
	status    string // PENDING, COMPLETED, FAILED
	created   time.Time
	completed time.Time
	relKey    string // "configurationId" or "conversationId"
	relID     string
	problem   *Problem
	pollsLeft int
	held      bool
	failWith  *Problem
	// apply makes the change when the operation completes; a non-nil
	// problem fails the operation instead.
	apply func(now time.Time) *Problem
	// done runs once the operation settled, completed or not: it drops
	// the pending mark on the resource and undoes what a failed operation
	// reserved.
	done func(completed bool)
}

const v2OperationsPath = "/v2/ControlPlane/Operations/"

// startOperation starts an operation for a validated async write and
// answers 202 Accepted: the Operation-Id, Location and Retry-After headers
// and the operation_accepted body (statusUrl, related). Under the zero
// AsyncPlan the operation settles before the answer is sent.
func (v *v2ctx) startOperation(relKey, relID string, apply func(time.Time) *Problem, done func(bool)) (v2Answer, *v2Operation) {
	plan := v.s.v2.plan
	op := &v2Operation{
		id:        newV2ID(v2PrefixOperation, v.now),
		status:    "PENDING",
		created:   v.now,
		relKey:    relKey,
		relID:     relID,
		pollsLeft: plan.PendingPolls,
		held:      plan.Hold,
		apply:     apply,
		done:      done,
	}
	if plan.Fail != nil {
		p := *plan.Fail
		op.failWith = &p
	}
	v.st.ops[op.id] = op
	if !op.held && op.pollsLeft <= 0 {
		v.settle(op, nil)
	}
	statusURL := v.url(v2OperationsPath + op.id)
	retry := int((plan.RetryAfter + time.Second - 1) / time.Second)
	if plan.RetryAfter <= 0 {
		retry = 0
		if op.status == "PENDING" {
			retry = 1
		}
	}
	ans := v2JSON(http.StatusAccepted, obj{
		{"statusUrl", statusURL},
		{"related", map[string]string{relKey: relID}},
	})
	ans.header = http.Header{
		"Operation-Id": {op.id},
		"Location":     {statusURL},
		"Retry-After":  {strconv.Itoa(retry)},
	}
	return ans, op
}

// settle ends a PENDING operation: FAILED with the given problem, or with
// the plan's, or COMPLETED once apply succeeds.
func (v *v2ctx) settle(op *v2Operation, fail *Problem) {
	if op.status != "PENDING" {
		return
	}
	if fail == nil {
		fail = op.failWith
	}
	if fail == nil {
		fail = op.apply(v.now)
	}
	if op.done != nil {
		op.done(fail == nil)
	}
	op.completed = v.now
	if fail != nil {
		p := v.fillProblem(*fail, op.id)
		op.problem = &p
		op.status = "FAILED"
		return
	}
	op.status = "COMPLETED"
}

// fillProblem completes a problem's defaults.
func (v *v2ctx) fillProblem(p Problem, opID string) Problem {
	if p.Status == 0 {
		p.Status = http.StatusInternalServerError
	}
	if p.Type == "" {
		p.Type = moreInfo(defaultFaultCode(p.Status))
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if p.Detail == "" {
		p.Detail = "The operation failed."
	}
	if p.Instance == "" {
		p.Instance = v.url(v2OperationsPath + opID)
	}
	return p
}

// problemOf turns an error found while applying a change into a problem.
func problemOf(e *apiError) *Problem {
	return &Problem{Type: moreInfo(e.Code), Title: http.StatusText(e.Status), Status: e.Status, Detail: e.Message}
}

func (v *v2ctx) fetchOperation(id string) v2Answer {
	op := v.st.ops[id]
	if op == nil {
		return v.notFound()
	}
	if op.status == "PENDING" && !op.held {
		if op.pollsLeft > 0 {
			op.pollsLeft--
		} else {
			v.settle(op, nil)
		}
	}
	return v2JSON(http.StatusOK, v.renderOperation(op))
}

func (v *v2ctx) renderOperation(op *v2Operation) obj {
	var completed, problem any
	if op.status != "PENDING" {
		completed = ts2(op.completed)
	}
	if op.problem != nil {
		problem = obj{
			{"type", op.problem.Type},
			{"title", op.problem.Title},
			{"status", op.problem.Status},
			{"detail", op.problem.Detail},
			{"instance", op.problem.Instance},
		}
	}
	return obj{
		{"operationId", op.id},
		{"status", op.status},
		{"createdAt", ts2(op.created)},
		{"completedAt", completed},
		{"statusUrl", v.url(v2OperationsPath + op.id)},
		{"error", problem},
		{"related", map[string]string{op.relKey: op.relID}},
	}
}

// CompleteOperation settles a PENDING v2 operation (one held by
// AsyncPlan.Hold, or still counting PendingPolls) as COMPLETED, applying
// its change. The operation ends FAILED instead if the change can no
// longer be made (the configuration it updates is gone).
func (s *Server) CompleteOperation(id string) error {
	return s.settleOperation(id, nil)
}

// FailOperation settles a PENDING v2 operation as FAILED with the problem
// p (empty fields get defaults); its change is not applied.
func (s *Server) FailOperation(id string, p Problem) error {
	return s.settleOperation(id, &p)
}

func (s *Server) settleOperation(id string, p *Problem) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &v2ctx{s: s, now: s.nowLocked(), st: s.st.v2State()}
	op := v.st.ops[id]
	if op == nil {
		return fmt.Errorf("conversationstest: no v2 operation %q", id)
	}
	if op.status != "PENDING" {
		return fmt.Errorf("conversationstest: v2 operation %s is already %s", id, op.status)
	}
	v.settle(op, p)
	return nil
}
