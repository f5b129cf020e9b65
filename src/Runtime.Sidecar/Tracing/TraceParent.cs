using System.Diagnostics;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// The trace context a request arrived with: the caller's trace and span, its sampling decision (null: none was
/// made, the sidecar decides) and the forms it used. <see cref="TraceId"/> is default when the request starts a trace.
/// </summary>
internal readonly record struct TraceParent(ActivityTraceId TraceId, ActivitySpanId SpanId, bool? Sampled, bool Debug, string? TraceState, TraceHeaderForms Forms)
{
    /// <summary>Whether the request continues a trace (it carried a valid trace and span id).</summary>
    public bool HasTrace => TraceId != default;
}
