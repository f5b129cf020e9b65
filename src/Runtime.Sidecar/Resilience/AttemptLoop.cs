using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.LoadBalancing;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// Sends one request to a cluster with the route's retry policy and timeouts: the first try, then retries on other
/// endpoints with jittered back-off while a retry condition holds, all within the route timeout. Responses are
/// retried only before anything was sent downstream. Every response the mesh generates here says why, and is
/// logged once with the same reason word.
/// </summary>
internal static partial class AttemptLoop
{
    /// <summary>Response header on relayed responses that needed retries: how many tries were made in all.</summary>
    public const string AttemptsHeader = "x-mesh-attempts";

    // Envoy's previous-hosts predicate re-picks up to 5 times to find an endpoint not tried yet.
    private const int HostSelectionAttempts = 5;

    /// <summary>Forwards the request described by <paramref name="first"/> (already aimed at <paramref name="endpoint"/>).</summary>
    /// <param name="context">The downstream request.</param>
    /// <param name="forwarder">The forwarder.</param>
    /// <param name="cluster">The destination cluster; retries pick from its balancer.</param>
    /// <param name="view">The request as routing sees it, for re-picking.</param>
    /// <param name="endpoint">The endpoint of the first try.</param>
    /// <param name="admission">The circuit-breaker admission of the first try (disposed here when that try ends).</param>
    /// <param name="http2Upstream">Whether tries go upstream as HTTP/2 (for the pending-request limit of later tries).</param>
    /// <param name="first">The first try: its <see cref="ForwardRequest.Timeout"/> is the first try's timeout and its
    /// <see cref="ForwardRequest.RetryCheck"/> is <paramref name="attempts"/>' check.</param>
    /// <param name="attempts">What the request's tries share (header edits, retry bookkeeping, kept body).</param>
    /// <param name="routeTimeout">The route timeout bounding every try and back-off, or null.</param>
    /// <param name="logger">Where mesh-generated failures are logged.</param>
    public static async Task RunAsync(
        HttpContext context,
        IHttpForwarder forwarder,
        Cluster cluster,
        RequestView view,
        MeshEndpoint endpoint,
        CircuitBreakerLease admission,
        bool http2Upstream,
        ForwardRequest first,
        AttemptContext attempts,
        TimeSpan? routeTimeout,
        ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var request = first;
        var boundByRoute = routeTimeout is { } total && first.Timeout >= total;
        try
        {
            while (true)
            {
                ForwardResult result;
                try
                {
                    using (cluster.Balancer.Acquire(endpoint))
                    {
                        result = await forwarder.ForwardAsync(context, request, context.RequestAborted).ConfigureAwait(false);
                    }
                }
                finally
                {
                    // The try's place in the circuit breaker ends with the try, exactly once.
                    admission.Dispose();
                    admission = default;
                }

                // Outlier detection sees every try: the one place where a try's endpoint and result are both known. A
                // forwarder refusal never reached the endpoint, so it says nothing about it.
                // A timeout after the response started counts as the response the endpoint gave (as Envoy, which records
                // a timeout only while awaiting headers): long streams cut by the route timeout eject no one.
                if (result is { Outcome: ForwardOutcome.UpstreamTimeout, ResponseStarted: true })
                {
                    cluster.Resilience?.Record(endpoint, ForwardOutcome.Success, result.StatusCode);
                }
                else if (!AttemptFailures.IsForwarderRefusal(result))
                {
                    cluster.Resilience?.Record(endpoint, result.Outcome, result.StatusCode);
                }
                if (result.IsSuccess)
                {
                    return;
                }

                if (result.Outcome is ForwardOutcome.Canceled or ForwardOutcome.ResponseBodyFailed || context.RequestAborted.IsCancellationRequested)
                {
                    LogDownstreamDisconnect(logger, cluster.Key, endpoint.Address, endpoint.Port);
                    return;
                }

                if (result.ResponseStarted)
                {
                    // The forwarder already aborted the half-sent response; nothing more can be said to the client.
                    LogFailedAfterResponseStarted(logger, cluster.Key, endpoint.Address, endpoint.Port, result.Outcome, result.Detail);
                    return;
                }

                var failure = AttemptFailures.Classify(result);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (failure == AttemptFailure.PerTryTimeout && routeTimeout is { } limit && (boundByRoute || elapsed >= limit))
                {
                    await FailAsync(context, logger, StatusCodes.Status504GatewayTimeout, MeshReasons.UpstreamTimeout, RouteTimeoutSentence(limit, cluster), cluster).ConfigureAwait(false);
                    return;
                }

                var retrying = result.Outcome == ForwardOutcome.RetriableResponse || attempts.ShouldRetry(failure);
                if (!retrying)
                {
                    await FailAsync(context, logger, result, failure, attempts, endpoint, cluster).ConfigureAwait(false);
                    return;
                }

                if (attempts.Body is { CanReplay: false })
                {
                    // The body outgrew the buffer while the discarded response arrived: too late to relay it, too big to resend.
                    await FailAsync(context, logger, StatusCodes.Status503ServiceUnavailable, MeshReasons.RetryLimitExceeded, string.Create(CultureInfo.InvariantCulture, $"upstream {Describe(cluster)} answered {result.StatusCode} and the retry could not be sent: the request body outgrew the {RetryBodyBuffer.Limit / 1024} KiB retry buffer"), cluster).ConfigureAwait(false);
                    return;
                }

                var wait = RetryBackoff.Next(attempts.Retries + 1, attempts.Policy.BackoffBase, attempts.Policy.BackoffMax, Random.Shared);
                LogRetrying(logger, cluster.Key, endpoint.Address, endpoint.Port, result.Outcome == ForwardOutcome.RetriableResponse ? result.StatusCode.ToString(CultureInfo.InvariantCulture) : AttemptFailures.Describe(failure), attempts.Retries + 1, (long)wait.TotalMilliseconds);
                if (routeTimeout is { } deadline)
                {
                    var remaining = deadline - Stopwatch.GetElapsedTime(started);
                    if (wait >= remaining)
                    {
                        // As in Envoy, the route timeout fires during the back-off: the request ends as a timeout.
                        if (!await WaitAsync(remaining, context).ConfigureAwait(false))
                        {
                            LogDownstreamDisconnect(logger, cluster.Key, endpoint.Address, endpoint.Port);
                            return;
                        }

                        await FailAsync(context, logger, StatusCodes.Status504GatewayTimeout, MeshReasons.UpstreamTimeout, RouteTimeoutSentence(deadline, cluster), cluster).ConfigureAwait(false);
                        return;
                    }
                }

                if (!await WaitAsync(wait, context).ConfigureAwait(false))
                {
                    LogDownstreamDisconnect(logger, cluster.Key, endpoint.Address, endpoint.Port);
                    return;
                }

                attempts.BeginRetry(endpoint);
                if (PickRetryEndpoint(cluster, view, attempts) is not { } next)
                {
                    // Outlier detection ejected every endpoint while this request was retrying: as Envoy, no healthy upstream.
                    await FailAsync(context, logger, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoHealthyUpstream, cluster.NoEndpointReason(), cluster).ConfigureAwait(false);
                    return;
                }

                endpoint = next;
                var tryTimeout = attempts.Policy.PerTryTimeout;
                if (routeTimeout is { } bound)
                {
                    var remaining = bound - Stopwatch.GetElapsedTime(started);
                    if (remaining <= TimeSpan.Zero)
                    {
                        // The back-off overran the deadline (timers fire late on a busy machine): no time is left for a
                        // try, and none is sent, so no endpoint is blamed for a timeout it never had a chance to meet.
                        await FailAsync(context, logger, StatusCodes.Status504GatewayTimeout, MeshReasons.UpstreamTimeout, RouteTimeoutSentence(bound, cluster), cluster).ConfigureAwait(false);
                        return;
                    }

                    boundByRoute = tryTimeout is not { } perTry || perTry >= remaining;
                    tryTimeout = boundByRoute ? remaining : tryTimeout;
                }

                if (cluster.Resilience is { } resilience && !resilience.TryEnterRequest(endpoint, http2Upstream, out admission, out var overflow))
                {
                    await FailAsync(context, logger, StatusCodes.Status503ServiceUnavailable, MeshReasons.Overflow, overflow, cluster).ConfigureAwait(false);
                    return;
                }

                request = first with { Destination = OutboundProxy.Destination(endpoint), Timeout = tryTimeout, Client = admission.Client };
                context.Response.Headers[AttemptsHeader] = (attempts.Retries + 1).ToString(CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            admission.Dispose();
            attempts.Dispose();
        }
    }

    /// <summary>The endpoint for the next retry, or null when the cluster has no eligible endpoint left (all ejected).</summary>
    private static MeshEndpoint? PickRetryEndpoint(Cluster cluster, in RequestView view, AttemptContext attempts)
    {
        // Consistent hashing must stick to its endpoint (Istio drops the previous-hosts predicate there).
        if (!attempts.Policy.AvoidPreviousHosts || cluster.Balancer is ConsistentHashBalancer)
        {
            return cluster.Balancer.Pick(view);
        }

        MeshEndpoint? last = null;
        for (var i = 0; i < HostSelectionAttempts; i++)
        {
            if (cluster.Balancer.Pick(view) is not { } candidate)
            {
                return null;
            }

            if (!attempts.WasTried(candidate))
            {
                return candidate;
            }

            last = candidate;
        }

        // Random and least-request balancers can keep drawing tried endpoints (1 in 32 with two endpoints, five draws):
        // where Envoy would give up and reuse one, take any endpoint not tried yet, so a retry really goes elsewhere.
        var endpoints = cluster.Balancer.Endpoints;
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (!attempts.WasTried(endpoints[i]))
            {
                return endpoints[i];
            }
        }

        // Every endpoint was tried: the balancer's choice stands, as in Envoy.
        return last;
    }

    private static async ValueTask<bool> WaitAsync(TimeSpan delay, HttpContext context)
    {
        if (delay <= TimeSpan.Zero)
        {
            return !context.RequestAborted.IsCancellationRequested;
        }

        try
        {
            await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static Task FailAsync(HttpContext context, ILogger logger, ForwardResult result, AttemptFailure failure, AttemptContext attempts, MeshEndpoint endpoint, Cluster cluster)
    {
        var at = string.Create(CultureInfo.InvariantCulture, $"{endpoint.Address}:{endpoint.Port}");
        if (attempts.Retries > 0 && failure == AttemptFailure.PerTryTimeout)
        {
            // As Envoy: a last try that timed out answers 504 (flags UT and URX there), whatever the earlier tries did.
            var tries = attempts.Retries + 1;
            var sentence = string.Create(CultureInfo.InvariantCulture, $"upstream per-try timeout after {Milliseconds(attempts.Policy.PerTryTimeout)} for {Describe(cluster)} at {at}; retry limit exceeded after {tries} tries");
            return FailAsync(context, logger, StatusCodes.Status504GatewayTimeout, MeshReasons.UpstreamTimeout, sentence, cluster);
        }

        if (attempts.Retries > 0 && failure != AttemptFailure.None)
        {
            var tries = attempts.Retries + 1;
            var sentence = string.Create(CultureInfo.InvariantCulture, $"retry limit exceeded: {tries} tries to {Describe(cluster)}, last: {AttemptFailures.Describe(failure)} at {at}");
            return FailAsync(context, logger, StatusCodes.Status503ServiceUnavailable, MeshReasons.RetryLimitExceeded, sentence, cluster);
        }

        return failure switch
        {
            AttemptFailure.ConnectFailure => FailAsync(context, logger, StatusCodes.Status503ServiceUnavailable, MeshReasons.UpstreamConnectFailure, $"upstream connect failure: {Describe(cluster)} at {at} could not be reached", cluster),
            AttemptFailure.Reset or AttemptFailure.RefusedStream => FailAsync(context, logger, StatusCodes.Status503ServiceUnavailable, MeshReasons.UpstreamConnectionTermination, $"upstream connection terminated: {Describe(cluster)} at {at}: {AttemptFailures.Describe(failure)}", cluster),
            AttemptFailure.PerTryTimeout => FailAsync(context, logger, StatusCodes.Status504GatewayTimeout, MeshReasons.UpstreamTimeout, string.Create(CultureInfo.InvariantCulture, $"upstream per-try timeout after {Milliseconds(attempts.Policy.PerTryTimeout)} for {Describe(cluster)} at {at}"), cluster),
            _ when result.Outcome == ForwardOutcome.RequestBodyFailed => FailAsync(context, logger, StatusCodes.Status400BadRequest, MeshReasons.BadRequest, "the request body could not be read from the client", cluster),
            _ => FailAsync(context, logger, result.StatusCode is >= 400 and <= 599 ? result.StatusCode : StatusCodes.Status503ServiceUnavailable, MeshReasons.UpstreamConnectionTermination, $"upstream {Describe(cluster)} at {at} failed: {result.Detail}", cluster),
        };
    }

    private static async Task FailAsync(HttpContext context, ILogger logger, int status, string reason, string sentence, Cluster cluster)
    {
        LogMeshResponse(logger, status, reason, cluster.Key, sentence);
        await ForwardErrorWriter.TryWriteAsync(context, status, reason, sentence, context.RequestAborted).ConfigureAwait(false);
    }

    private static string RouteTimeoutSentence(TimeSpan timeout, Cluster cluster) =>
        $"upstream request timeout after {Milliseconds(timeout)} for {Describe(cluster)}";

    private static string Milliseconds(TimeSpan? value) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)(value ?? TimeSpan.Zero).TotalMilliseconds}ms");

    private static string Describe(Cluster cluster) => OutboundProxy.Describe(cluster.Key);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Status} {Reason} {Cluster}: {Sentence}")]
    private static partial void LogMeshResponse(ILogger logger, int status, string reason, ClusterKey cluster, string sentence);

    [LoggerMessage(Level = LogLevel.Information, Message = "DC {Cluster} via {Address}:{Port}: the client went away; nothing was written")]
    private static partial void LogDownstreamDisconnect(ILogger logger, ClusterKey cluster, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Cluster} via {Address}:{Port} failed after the response started: {Outcome} {Detail}")]
    private static partial void LogFailedAfterResponseStarted(ILogger logger, ClusterKey cluster, string address, int port, ForwardOutcome outcome, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Cluster} via {Address}:{Port}: {Why}; retry {Retry} after {BackoffMs} ms")]
    private static partial void LogRetrying(ILogger logger, ClusterKey cluster, string address, int port, string why, int retry, long backoffMs);
}
