using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tracing;

namespace Runtime.Sidecar.Tests.Tracing;

/// <summary>Reading W3C, B3 single and B3 multi trace headers (malformed ones as absent), and writing them for the next hop.</summary>
public sealed class TraceHeadersTests
{
    private const string Trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string Span = "00f067aa0ba902b7";

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary[name] = value;
        }

        return dictionary;
    }

    [Fact]
    public void Read_TraceParent_TraceSpanSampledAndState()
    {
        var parent = TraceHeaders.Read(Headers(("traceparent", $"00-{Trace}-{Span}-01"), ("tracestate", "vendor=a")));

        Assert.True(parent.HasTrace);
        Assert.Equal(Trace, parent.TraceId.ToHexString());
        Assert.Equal(Span, parent.SpanId.ToHexString());
        Assert.True(parent.Sampled);
        Assert.Equal("vendor=a", parent.TraceState);
        Assert.Equal(TraceHeaderForms.W3C, parent.Forms);
    }

    [Fact]
    public void Read_W3CAndDisagreeingB3_W3CWins()
    {
        var parent = TraceHeaders.Read(Headers(
            ("traceparent", $"00-{Trace}-{Span}-00"),
            ("x-b3-traceid", "11111111111111111111111111111111"), ("x-b3-spanid", "2222222222222222"), ("x-b3-sampled", "1")));

        Assert.Equal(Trace, parent.TraceId.ToHexString());
        Assert.False(parent.Sampled);
        Assert.Equal(TraceHeaderForms.W3C | TraceHeaderForms.B3Multi, parent.Forms);
    }

    [Fact]
    public void Read_B3Multi64BitTraceId_PaddedTo128()
    {
        var parent = TraceHeaders.Read(Headers(("X-B3-TraceId", "a3ce929d0e0e4736"), ("X-B3-SpanId", Span), ("X-B3-Sampled", "1")));

        Assert.Equal("0000000000000000a3ce929d0e0e4736", parent.TraceId.ToHexString());
        Assert.Equal(Span, parent.SpanId.ToHexString());
        Assert.True(parent.Sampled);
        Assert.Equal(TraceHeaderForms.B3Multi, parent.Forms);
    }

    [Fact]
    public void Read_B3Single_WithParentAndDebug()
    {
        var parent = TraceHeaders.Read(Headers(("b3", $"{Trace}-{Span}-d-1111111111111111")));

        Assert.Equal(Trace, parent.TraceId.ToHexString());
        Assert.True(parent.Sampled);
        Assert.True(parent.Debug);
        Assert.Equal(TraceHeaderForms.B3Single, parent.Forms);
    }

    [Fact]
    public void ReadWrite_B3DebugAcrossTwoHops_SecondHopStillDebug()
    {
        // The app asks for debug in b3; the client sidecar writes traceparent too, which wins at the server sidecar.
        var first = TraceHeaders.Read(Headers(("b3", $"{Trace}-{Span}-d")));
        var hop = Headers(("b3", $"{Trace}-{Span}-d"));
        TraceHeaders.Write(hop, first, first.TraceId, ActivitySpanId.CreateFromString("1111111111111111"), sampled: true);

        var second = TraceHeaders.Read(hop);

        Assert.Equal(TraceHeaderForms.W3C | TraceHeaderForms.B3Single | TraceHeaderForms.B3Multi, second.Forms);
        Assert.True(second.Debug);
        Assert.True(second.Sampled);
        var next = new HeaderDictionary();
        TraceHeaders.Write(next, second, second.TraceId, ActivitySpanId.CreateFromString("3333333333333333"), sampled: true);
        Assert.Equal("1", next["x-b3-flags"]);
        Assert.Equal($"{Trace}-3333333333333333-d-1111111111111111", next["b3"]);
    }

    [Fact]
    public void Read_UnsampledTraceParentWithDebugFlagsForSameTrace_DebugForcesSampling()
    {
        var parent = TraceHeaders.Read(Headers(
            ("traceparent", $"00-{Trace}-{Span}-00"), ("x-b3-traceid", Trace), ("x-b3-spanid", Span), ("x-b3-flags", "1")));

        Assert.True(parent.Debug);
        Assert.True(parent.Sampled);
    }

    [Fact]
    public void Read_TraceParentWithDebugB3ForAnotherTrace_DebugIgnored()
    {
        var parent = TraceHeaders.Read(Headers(
            ("traceparent", $"00-{Trace}-{Span}-00"), ("b3", $"11111111111111111111111111111111-{Span}-d")));

        Assert.False(parent.Debug);
        Assert.False(parent.Sampled);
    }

    [Fact]
    public void Read_TraceStateInTwoFields_CombinedInOrder()
    {
        var headers = Headers(("traceparent", $"00-{Trace}-{Span}-01"));
        headers["tracestate"] = new Microsoft.Extensions.Primitives.StringValues(["a=1", "b=2"]);

        var parent = TraceHeaders.Read(headers);
        TraceHeaders.Write(headers, parent, parent.TraceId, ActivitySpanId.CreateFromString("1111111111111111"), sampled: true);

        Assert.Equal("a=1,b=2", parent.TraceState);
        Assert.Equal("a=1,b=2", headers["tracestate"].ToString());
    }

    [Fact]
    public void Read_B3MultiIdsWithoutDecisionAndB3SamplingOnlyZero_CallersNoIsKept()
    {
        var parent = TraceHeaders.Read(Headers(("b3", "0"), ("x-b3-traceid", Trace), ("x-b3-spanid", Span)));

        Assert.Equal(Trace, parent.TraceId.ToHexString());
        Assert.False(parent.Sampled);
    }

    [Fact]
    public void Read_B3SingleIdsWithoutDecisionAndMultiSampledForSameTrace_DecisionTaken()
    {
        var parent = TraceHeaders.Read(Headers(("b3", $"{Trace}-{Span}"), ("x-b3-traceid", Trace), ("x-b3-spanid", Span), ("x-b3-sampled", "1")));

        Assert.True(parent.Sampled);
    }

    [Fact]
    public void Read_B3SamplingOnly_NewTraceKeepsDecision()
    {
        var parent = TraceHeaders.Read(Headers(("b3", "0")));

        Assert.False(parent.HasTrace);
        Assert.False(parent.Sampled);
    }

    [Theory]
    [InlineData("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")]
    [InlineData("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
    [InlineData("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("traceparent", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")]
    [InlineData("traceparent", "garbage-\u00e9\u00e9\u00e9-with-a-length-of-fifty-five-characters-or-so!!")]
    [InlineData("b3", "4bf92f3577b34da6a3ce929d0e0e4736")]
    [InlineData("b3", "4bf92f3577b34da6a3ce929d0e0e4736-zz")]
    [InlineData("b3", "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-x")]
    [InlineData("b3", "-")]
    [InlineData("x-b3-traceid", "not-hex")]
    public void Read_Malformed_TreatedAsAbsent(string name, string value)
    {
        var parent = TraceHeaders.Read(Headers((name, value), ("tracestate", "vendor=a")));

        Assert.False(parent.HasTrace);
        Assert.Null(parent.Sampled);
        Assert.Null(parent.TraceState);
    }

    [Fact]
    public void Write_ContinuedTrace_SidecarSpanIsParentInEveryForm()
    {
        var headers = Headers(("traceparent", $"00-{Trace}-{Span}-01"), ("tracestate", "vendor=a"), ("b3", "1"), ("x-b3-flags", "0"));
        var incoming = TraceHeaders.Read(headers);
        var span = ActivitySpanId.CreateRandom();

        TraceHeaders.Write(headers, incoming, incoming.TraceId, span, sampled: true);

        Assert.Equal($"00-{Trace}-{span.ToHexString()}-01", headers["traceparent"]);
        Assert.Equal("vendor=a", headers["tracestate"]);
        Assert.Equal(Trace, headers["x-b3-traceid"]);
        Assert.Equal(span.ToHexString(), headers["x-b3-spanid"]);
        Assert.Equal(Span, headers["x-b3-parentspanid"]);
        Assert.Equal("1", headers["x-b3-sampled"]);
        Assert.False(headers.ContainsKey("x-b3-flags"));
        Assert.Equal($"{Trace}-{span.ToHexString()}-1-{Span}", headers["b3"]);
    }

    [Fact]
    public void Write_NewUnsampledTrace_NoParentAndSampledZero()
    {
        var headers = Headers(("traceparent", "broken"), ("tracestate", "vendor=a"), ("x-b3-parentspanid", Span));
        var incoming = TraceHeaders.Read(headers);
        var trace = ActivityTraceId.CreateRandom();
        var span = ActivitySpanId.CreateRandom();

        TraceHeaders.Write(headers, incoming, trace, span, sampled: false);

        Assert.Equal($"00-{trace.ToHexString()}-{span.ToHexString()}-00", headers["traceparent"]);
        Assert.False(headers.ContainsKey("tracestate"));
        Assert.False(headers.ContainsKey("x-b3-parentspanid"));
        Assert.False(headers.ContainsKey("b3"));
        Assert.Equal("0", headers["x-b3-sampled"]);
    }

    [Fact]
    public void Read_SeveralForms_OnlyTheWinnersIdsAllocate()
    {
        var all = Headers(("traceparent", $"00-{Trace}-{Span}-01"), ("x-b3-traceid", Trace), ("x-b3-spanid", Span), ("b3", $"{Trace}-{Span}-1"));
        var w3cOnly = Headers(("traceparent", $"00-{Trace}-{Span}-01"));
        TraceHeaders.Read(all);
        TraceHeaders.Read(w3cOnly);

        var before = GC.GetAllocatedBytesForCurrentThread();
        TraceHeaders.Read(w3cOnly);
        var winnerOnly = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var parent = TraceHeaders.Read(all);
        var allForms = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(parent.HasTrace);
        Assert.Equal(winnerOnly, allForms);
    }

    [Fact]
    public void Read_NoTraceHeaders_AllocatesNothing()
    {
        var headers = Headers(("x-request-id", "r-1"), ("b3", "zz"), ("traceparent", "bad"));
        TraceHeaders.Read(headers);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var parent = TraceHeaders.Read(headers);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(parent.HasTrace);
        Assert.Equal(0, allocated);
    }
}
