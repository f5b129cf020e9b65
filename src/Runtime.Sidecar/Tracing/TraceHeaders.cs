using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// Reads and writes the trace-context headers a sidecar propagates: W3C <c>traceparent</c>/<c>tracestate</c>, B3
/// multi-header and B3 single-header <c>b3</c>. Precedence when several are present: a valid <c>traceparent</c>
/// decides trace, parent and sampling, even when B3 headers disagree; else a valid <c>b3</c>; else valid
/// <c>X-B3-*</c> headers. A malformed header is treated as absent (never an error): with nothing valid left the
/// request starts a new trace. A B3 sampling-only value (<c>b3: 0</c>, <c>X-B3-Sampled</c> without ids) still carries
/// its decision into the new trace, or to the winning ids when they came without one. A B3 debug flag for the same
/// trace survives a winning <c>traceparent</c> (which cannot carry it) and forces sampling, so debug reaches every hop.
/// </summary>
internal static class TraceHeaders
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";
    public const string B3Single = "b3";
    public const string B3TraceId = "x-b3-traceid";
    public const string B3SpanId = "x-b3-spanid";
    public const string B3ParentSpanId = "x-b3-parentspanid";
    public const string B3Sampled = "x-b3-sampled";
    public const string B3Flags = "x-b3-flags";

    /// <summary>The context <paramref name="headers"/> carry; <see cref="TraceParent.HasTrace"/> is false when none is valid.</summary>
    /// <remarks>
    /// Every form is validated on the header text; ids are created (one string each, reused when the headers are
    /// written for the next hop) only for the form that wins.
    /// </remarks>
    public static TraceParent Read(IHeaderDictionary headers)
    {
        var forms = TraceHeaderForms.None;
        var w3c = TryW3C(Single(headers, TraceParentHeader), out var w3cTrace, out var w3cSpan, out var w3cSampled);
        if (w3c)
        {
            forms |= TraceHeaderForms.W3C;
        }

        var single = TryB3Single(Single(headers, B3Single), out var singleTrace, out var singleSpan, out var singleSampled, out var singleDebug);
        if (single)
        {
            forms |= TraceHeaderForms.B3Single;
        }

        var multi = TryB3Multi(headers, out var multiTrace, out var multiSpan, out var multiSampled, out var multiDebug);
        if (multi)
        {
            forms |= TraceHeaderForms.B3Multi;
        }

        if (w3c)
        {
            // tracestate belongs to traceparent: kept only with a valid one (W3C Trace Context §3.3); several fields are
            // one list, combined in order (§3.3.1).
            var state = Joined(headers, TraceStateHeader);
            // W3C has no debug flag: a B3 debug for the same trace (or with no ids) rides along and forces sampling.
            var forced = (single && singleDebug && SameTrace(singleTrace, w3cTrace)) || (multi && multiDebug && SameTrace(multiTrace, w3cTrace));
            return new TraceParent(TraceId(w3cTrace), ActivitySpanId.CreateFromString(w3cSpan), forced ? true : w3cSampled, forced, string.IsNullOrEmpty(state) ? null : state, forms);
        }

        if (single && !singleTrace.IsEmpty)
        {
            // Ids without a decision take the multi headers' decision when those are for the same trace or carry none.
            var (decided, decidedDebug) = singleSampled is null && multi && SameTrace(multiTrace, singleTrace) ? (multiSampled, multiDebug) : (singleSampled, singleDebug);
            return new TraceParent(TraceId(singleTrace), ActivitySpanId.CreateFromString(singleSpan), decided, decidedDebug, null, forms);
        }

        if (multi && !multiTrace.IsEmpty)
        {
            // A sampling-only b3 (`b3: 0`) is the caller's decision for these ids.
            var (decided, decidedDebug) = multiSampled is null && single ? (singleSampled, singleDebug) : (multiSampled, multiDebug);
            return new TraceParent(TraceId(multiTrace), ActivitySpanId.CreateFromString(multiSpan), decided, decidedDebug, null, forms);
        }

        // No ids: a B3 sampling decision alone still counts.
        var sampled = single ? singleSampled : multi ? multiSampled : null;
        var debug = single ? singleDebug : multi && multiDebug;
        return new TraceParent(default, default, sampled, debug, null, forms);
    }

    /// <summary>
    /// Rewrites <paramref name="headers"/> for the next hop: <paramref name="span"/> of trace <paramref name="trace"/>
    /// becomes the parent. W3C and B3 multi are always written, <c>b3</c> when the caller used it; tracestate is kept.
    /// </summary>
    public static void Write(IHeaderDictionary headers, in TraceParent incoming, ActivityTraceId trace, ActivitySpanId span, bool sampled)
    {
        var traceHex = trace.ToHexString();
        var spanHex = span.ToHexString();
        var flag = sampled ? "1" : "0";
        headers[TraceParentHeader] = string.Concat("00-", traceHex, "-", spanHex, sampled ? "-01" : "-00");
        if (incoming.TraceState is null)
        {
            headers.Remove(TraceStateHeader);
        }

        headers[B3TraceId] = traceHex;
        headers[B3SpanId] = spanHex;
        if (incoming.HasTrace)
        {
            headers[B3ParentSpanId] = incoming.SpanId.ToHexString();
        }
        else
        {
            headers.Remove(B3ParentSpanId);
        }

        headers[B3Sampled] = flag;
        if (incoming.Debug)
        {
            headers[B3Flags] = "1";
        }
        else
        {
            headers.Remove(B3Flags);
        }

        if ((incoming.Forms & TraceHeaderForms.B3Single) != 0)
        {
            headers[B3Single] = incoming.HasTrace
                ? string.Concat(traceHex, "-", spanHex, "-", incoming.Debug ? "d" : flag, "-", incoming.SpanId.ToHexString())
                : string.Concat(traceHex, "-", spanHex, "-", incoming.Debug ? "d" : flag);
        }
        else
        {
            headers.Remove(B3Single);
        }
    }

    // traceparent: version "-" trace-id "-" parent-id "-" flags; version ff is invalid, a higher version may append fields.
    private static bool TryW3C(string? value, out ReadOnlySpan<char> trace, out ReadOnlySpan<char> span, out bool? sampled)
    {
        trace = default;
        span = default;
        sampled = null;
        if (value is null || value.Length < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-')
        {
            return false;
        }

        var text = value.AsSpan();
        if (!IsLowerHex(text[..2]) || text[..2] is "ff" || (text[..2] is "00" && value.Length != 55) || (value.Length > 55 && value[55] != '-')
            || !IsLowerHex(text.Slice(3, 32)) || !IsLowerHex(text.Slice(36, 16)) || !IsLowerHex(text.Slice(53, 2))
            || IsZero(text.Slice(3, 32)) || IsZero(text.Slice(36, 16)))
        {
            return false;
        }

        trace = text.Slice(3, 32);
        span = text.Slice(36, 16);
        sampled = (HexValue(text[54]) & 1) == 1;
        return true;
    }

    // b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]], or a lone SamplingState (0, 1 or d).
    private static bool TryB3Single(string? value, out ReadOnlySpan<char> trace, out ReadOnlySpan<char> span, out bool? sampled, out bool debug)
    {
        trace = default;
        span = default;
        (sampled, debug) = (null, false);
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (value.Length == 1)
        {
            return TrySamplingState(value, out sampled, out debug);
        }

        var parts = value.AsSpan();
        var first = parts.IndexOf('-');
        if (first < 0 || !IsTraceId(parts[..first]))
        {
            return false;
        }

        trace = parts[..first];

        parts = parts[(first + 1)..];
        var second = parts.IndexOf('-');
        var spanText = second < 0 ? parts : parts[..second];
        if (!IsSpanId(spanText))
        {
            trace = default;
            return false;
        }

        span = spanText;

        if (second >= 0)
        {
            parts = parts[(second + 1)..];
            var third = parts.IndexOf('-');
            var state = third < 0 ? parts : parts[..third];
            if (!TrySamplingState(state, out sampled, out debug) || (third >= 0 && !IsSpanId(parts[(third + 1)..])))
            {
                trace = default;
                span = default;
                (sampled, debug) = (null, false);
                return false;
            }
        }

        return true;
    }

    private static bool TryB3Multi(IHeaderDictionary headers, out ReadOnlySpan<char> trace, out ReadOnlySpan<char> span, out bool? sampled, out bool debug)
    {
        trace = default;
        span = default;
        (sampled, debug) = (null, false);
        var traceText = Single(headers, B3TraceId);
        var spanText = Single(headers, B3SpanId);
        var sampledText = Single(headers, B3Sampled);
        debug = Single(headers, B3Flags) == "1";
        if (sampledText is not null)
        {
            sampled = sampledText switch
            {
                "1" or "true" => true,
                "0" or "false" => false,
                _ => null,
            };
        }

        if (debug)
        {
            sampled = true;
        }

        if (traceText is null && spanText is null)
        {
            return sampled is not null;
        }

        if (traceText is null || spanText is null || !IsTraceId(traceText) || !IsSpanId(spanText))
        {
            return sampled is not null;
        }

        trace = traceText;
        span = spanText;
        return true;
    }

    private static bool TrySamplingState(ReadOnlySpan<char> value, out bool? sampled, out bool debug)
    {
        (sampled, debug) = value switch
        {
            "1" => (true, false),
            "0" => (false, false),
            "d" => (true, true),
            _ => ((bool?)null, false),
        };
        return sampled is not null;
    }

    // B3 trace ids are 64 or 128 bits; W3C ones 128.
    private static bool IsTraceId(ReadOnlySpan<char> text) => (text.Length == 32 || text.Length == 16) && IsLowerHex(text) && !IsZero(text);

    private static bool IsSpanId(ReadOnlySpan<char> text) => text.Length == 16 && IsLowerHex(text) && !IsZero(text);

    // A 64-bit trace id is left-padded to 128 bits, as the W3C form needs.
    private static ActivityTraceId TraceId(ReadOnlySpan<char> text)
    {
        if (text.Length == 32)
        {
            return ActivityTraceId.CreateFromString(text);
        }

        Span<char> padded = stackalloc char[32];
        padded[..16].Fill('0');
        text.CopyTo(padded[16..]);
        return ActivityTraceId.CreateFromString(padded);
    }

    private static string? Single(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    // A list header sent as several fields, combined with commas (RFC 9110 §5.3); null when absent.
    private static string? Joined(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    // Whether B3 ids name the W3C trace (a 64-bit B3 id is the low half of the padded 128-bit one); a B3 form with no
    // ids (a sampling decision alone) counts as the same trace.
    private static bool SameTrace(ReadOnlySpan<char> b3, ReadOnlySpan<char> trace) =>
        b3.IsEmpty || (b3.Length == 32 ? b3.SequenceEqual(trace) : trace[..16] is "0000000000000000" && b3.SequenceEqual(trace[16..]));

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsZero(ReadOnlySpan<char> text) => !text.ContainsAnyExcept('0');

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'a' + 10;
}
