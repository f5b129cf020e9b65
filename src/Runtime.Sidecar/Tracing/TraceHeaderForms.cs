namespace Runtime.Sidecar.Tracing;

/// <summary>Which trace-context header forms a request carried (valid ones only).</summary>
[Flags]
internal enum TraceHeaderForms
{
    /// <summary>None: the request starts a trace.</summary>
    None = 0,

    /// <summary>W3C <c>traceparent</c> (and <c>tracestate</c>).</summary>
    W3C = 1,

    /// <summary>B3 multi-header: <c>X-B3-TraceId</c>, <c>X-B3-SpanId</c>, ...</summary>
    B3Multi = 2,

    /// <summary>B3 single header <c>b3</c>.</summary>
    B3Single = 4,
}
