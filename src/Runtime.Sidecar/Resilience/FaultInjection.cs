using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// Applies a route's <see cref="FaultPolicy"/> after routing and before an endpoint is picked (where Envoy's fault
/// filter sits, ahead of the router): first the delay, then the abort, each sampled on its own.
/// </summary>
/// <remarks>
/// <para>A delayed request that goes on to the upstream gets <c>x-mesh-fault-delay: &lt;ms&gt;</c> on its response, and
/// the delay is logged with reason <c>DI</c>; the response itself is the upstream's, so it carries no
/// <c>x-mesh-reason</c>. As in Envoy, the delay is not part of the route timeout, which starts when the request
/// goes upstream. A client that leaves during the delay ends the request (<c>DC</c>, nothing written).</para>
/// <para>An HTTP abort answers the configured status with <c>x-mesh-reason: FI</c> and a one-line body. A gRPC
/// abort answers as a gRPC server would, trailers-only: status 200, <c>content-type: application/grpc</c>,
/// <c>grpc-status</c> and <c>grpc-message</c> in the headers, plus <c>x-mesh-reason: FI</c>.</para>
/// </remarks>
internal static partial class FaultInjection
{
    /// <summary>Response header on a delayed request's response: the injected delay in milliseconds.</summary>
    public const string DelayHeader = "x-mesh-fault-delay";

    /// <summary>Applies <paramref name="fault"/>; returns true when the request is finished (aborted, or the client left).</summary>
    /// <param name="context">The downstream request.</param>
    /// <param name="fault">The route's fault policy.</param>
    /// <param name="cluster">The route's destination, named in the sentence and the log only when a fault is injected.</param>
    /// <param name="logger">Where the reason words are logged.</param>
    public static ValueTask<bool> ApplyAsync(HttpContext context, FaultPolicy fault, ClusterKey cluster, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.SampleDelay())
        {
            return DelayThenAbortAsync(context, fault, OutboundProxy.Describe(cluster), logger);
        }

        // The cluster is described only for a request that is faulted: the others allocate nothing here.
        return fault.SampleAbort() ? AbortAsync(context, fault, OutboundProxy.Describe(cluster), logger) : ValueTask.FromResult(false);
    }

    private static async ValueTask<bool> DelayThenAbortAsync(HttpContext context, FaultPolicy fault, string where, ILogger logger)
    {
        var milliseconds = (long)fault.Delay.TotalMilliseconds;
        LogDelayed(logger, milliseconds, where);
        try
        {
            await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogDisconnected(logger, where);
            return true;
        }

        context.Response.Headers[DelayHeader] = milliseconds.ToString(CultureInfo.InvariantCulture);
        return fault.SampleAbort() && await AbortAsync(context, fault, where, logger).ConfigureAwait(false);
    }

    private static async ValueTask<bool> AbortAsync(HttpContext context, FaultPolicy fault, string where, ILogger logger)
    {
        if (fault.AbortGrpcStatus is { } grpc)
        {
            var name = FaultPolicy.GrpcStatusName(grpc);
            var sentence = $"fault injected: gRPC abort with {name} for {where}";
            LogAborted(logger, StatusCodes.Status200OK, sentence);
            var response = context.Response;
            if (!response.HasStarted)
            {
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = grpc.ToString(CultureInfo.InvariantCulture);
                response.Headers["grpc-message"] = sentence; // printable ASCII: needs no gRPC percent-encoding
                response.Headers[ForwardErrorWriter.ReasonHeader] = MeshReasons.FaultInjected;
            }

            return true;
        }

        var status = fault.AbortHttpStatus!.Value;
        var text = string.Create(CultureInfo.InvariantCulture, $"fault injected: abort with {status} for {where}");
        LogAborted(logger, status, text);
        if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // Not ForwardErrorWriter: it clears the response, and an abort after a delay keeps x-mesh-fault-delay.
            context.Response.StatusCode = status;
            context.Response.Headers[ForwardErrorWriter.ReasonHeader] = MeshReasons.FaultInjected;
            context.Response.ContentType = "text/plain; charset=utf-8";
            var body = text + "\n";
            // Declared, so the request metrics and access logs count the body (issue 6).
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(body);
            try
            {
                await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogDisconnected(logger, where);
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DI {Where}: delayed {DelayMs} ms by fault injection")]
    private static partial void LogDelayed(ILogger logger, long delayMs, string where);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Status} FI: {Sentence}")]
    private static partial void LogAborted(ILogger logger, int status, string sentence);

    [LoggerMessage(Level = LogLevel.Information, Message = "DC {Where}: the client went away during an injected delay; nothing was written")]
    private static partial void LogDisconnected(ILogger logger, string where);
}
