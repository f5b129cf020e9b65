using System.Net;
using Runtime.Abstractions.Common;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Tests.Resilience;

public sealed class RetryPolicyTests
{
    [Fact]
    public void Compile_NoRetries_IsIstiosDefault()
    {
        var policy = RetryPolicy.Compile(null);

        Assert.Equal(2, policy.MaxRetries);
        Assert.Equal(
            RetryConditions.ConnectFailure | RetryConditions.RefusedStream | RetryConditions.GrpcUnavailable | RetryConditions.GrpcCancelled | RetryConditions.RetriableStatusCodes,
            policy.Conditions);
        Assert.Equal([503], policy.StatusCodes);
        Assert.Null(policy.PerTryTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(25), policy.BackoffBase);
        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.BackoffMax);
        Assert.True(policy.AvoidPreviousHosts);
    }

    [Fact]
    public void Compile_AttemptsZeroOrMissing_DisablesRetriesAndWarnsWhenMissing()
    {
        var warnings = new List<string>();

        Assert.Equal(0, RetryPolicy.Compile(new HttpRetry { Attempts = 0, RetryOn = "5xx" }, (f, m, _) => warnings.Add(f)).MaxRetries);
        Assert.Empty(warnings);
        Assert.Equal(0, RetryPolicy.Compile(new HttpRetry { RetryOn = "5xx" }, (f, m, _) => warnings.Add(f)).MaxRetries);
        Assert.Equal(["attempts"], warnings);
    }

    [Fact]
    public void Compile_RetryOnWithoutList_KeepsIstiosDefaultConditions()
    {
        var policy = RetryPolicy.Compile(new HttpRetry { Attempts = 4, PerTryTimeout = Duration("2s"), Backoff = Duration("100ms") });

        Assert.Equal(4, policy.MaxRetries);
        Assert.Equal(RetryPolicy.IstioDefault.Conditions, policy.Conditions);
        Assert.Equal([503], policy.StatusCodes);
        Assert.Equal(TimeSpan.FromSeconds(2), policy.PerTryTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), policy.BackoffBase);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.BackoffMax);
    }

    [Fact]
    public void ParseRetryOn_WordsAndStatusCodes_AreParsedAndUnknownWordsReported()
    {
        var warnings = new List<string>();

        var (conditions, codes) = RetryPolicy.ParseRetryOn(" 5xx, gateway-error,reset,connect-failure,refused-stream,retriable-4xx,retriable-headers,cancelled,deadline-exceeded,internal,resource-exhausted,unavailable,429,503,bogus,700", (f, m, _) => warnings.Add(m));

        Assert.Equal(
            RetryConditions.FiveXx | RetryConditions.GatewayError | RetryConditions.Reset | RetryConditions.ConnectFailure | RetryConditions.RefusedStream
            | RetryConditions.Retriable4xx | RetryConditions.RetriableHeaders | RetryConditions.GrpcCancelled | RetryConditions.GrpcDeadlineExceeded
            | RetryConditions.GrpcInternal | RetryConditions.GrpcResourceExhausted | RetryConditions.GrpcUnavailable | RetryConditions.RetriableStatusCodes,
            conditions);
        Assert.Equal([429, 503], codes);
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("'bogus'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("700", StringComparison.Ordinal));
    }

    [Fact]
    public void KnownWords_MatchWhatValidationAccepts()
    {
        Assert.Equal(RetryOnConditions.Words.Order(StringComparer.Ordinal), RetryPolicy.KnownWords.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compile_RetriableStatusCodesWithoutCodes_RetriesNoStatus()
    {
        var policy = RetryPolicy.Compile(new HttpRetry { Attempts = 2, RetryOn = "retriable-status-codes" });

        Assert.False(policy.RetriesResponses);
        Assert.False(policy.IsRetriable(Response(503), null));
    }

    [Theory]
    [InlineData("5xx", "ConnectFailure", true)]
    [InlineData("5xx", "Reset", true)]
    [InlineData("5xx", "PerTryTimeout", true)]
    [InlineData("gateway-error", "Reset", true)]
    [InlineData("gateway-error", "PerTryTimeout", true)]
    [InlineData("reset", "ConnectFailure", true)]
    [InlineData("reset", "PerTryTimeout", true)]
    [InlineData("connect-failure", "ConnectFailure", true)]
    [InlineData("connect-failure", "Reset", false)]
    [InlineData("connect-failure", "PerTryTimeout", false)]
    [InlineData("refused-stream", "RefusedStream", true)]
    [InlineData("refused-stream", "Reset", false)]
    [InlineData("retriable-4xx", "ConnectFailure", false)]
    [InlineData("503", "Reset", false)]
    public void IsRetriable_Failure_FollowsEnvoysResetRules(string retryOn, string failure, bool expected)
    {
        var policy = RetryPolicy.Compile(new HttpRetry { Attempts = 1, RetryOn = retryOn });

        Assert.Equal(expected, policy.IsRetriable(Enum.Parse<AttemptFailure>(failure)));
    }

    [Fact]
    public void IsRetriable_GrpcStatusInHeaders_MatchesOnlyTheNamedConditions()
    {
        var policy = RetryPolicy.Compile(new HttpRetry { Attempts = 1, RetryOn = "deadline-exceeded,resource-exhausted" });

        Assert.True(policy.IsRetriable(Response(200, ("grpc-status", "4")), null));
        Assert.True(policy.IsRetriable(Response(200, ("grpc-status", "8")), null));
        Assert.False(policy.IsRetriable(Response(200, ("grpc-status", "14")), null));
        Assert.False(policy.IsRetriable(Response(200), null));
    }

    [Fact]
    public void IsRetriable_RetriableHeaders_MatchesNamedResponseHeadersOnly()
    {
        var policy = RetryPolicy.Compile(new HttpRetry { Attempts = 1, RetryOn = "retriable-headers" });

        Assert.True(policy.IsRetriable(Response(200, ("X-Upstream-Busy", "1")), "x-other, x-upstream-busy"));
        Assert.False(policy.IsRetriable(Response(200, ("x-upstream-busy", "1")), null));
        Assert.False(policy.IsRetriable(Response(200), "x-upstream-busy"));
    }

    [Fact]
    public void FirstTryTimeout_PerTryBoundedByRouteTimeout()
    {
        var policy = RetryPolicy.Compile(new HttpRetry { Attempts = 1, PerTryTimeout = Duration("2s") });

        Assert.Equal(TimeSpan.FromSeconds(2), policy.FirstTryTimeout(null));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.FirstTryTimeout(TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.FirstTryTimeout(TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.IstioDefault.FirstTryTimeout(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void Classify_RefusedStreamProtocolError_IsRefusedStream()
    {
        var refused = new HttpRequestException("refused", CreateProtocolException(0x7));
        var other = new HttpRequestException("reset", CreateProtocolException(0x2));

        Assert.Equal(AttemptFailure.RefusedStream, AttemptFailures.Classify(new ForwardResult(ForwardOutcome.UpstreamReset, 502, refused, "x")));
        Assert.Equal(AttemptFailure.Reset, AttemptFailures.Classify(new ForwardResult(ForwardOutcome.UpstreamReset, 502, other, "x")));
        Assert.Equal(AttemptFailure.ConnectFailure, AttemptFailures.Classify(new ForwardResult(ForwardOutcome.ConnectFailure, 503, null, "x")));
        Assert.Equal(AttemptFailure.None, AttemptFailures.Classify(new ForwardResult(ForwardOutcome.Canceled, 499, null, "x")));
    }

    private static HttpProtocolException CreateProtocolException(long code) =>
        (HttpProtocolException)Activator.CreateInstance(typeof(HttpProtocolException), code, "protocol error", null)!;

    private static HttpResponseMessage Response(int status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent([]) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private static MeshDuration Duration(string text) => MeshDuration.TryParse(text, out var d) ? d : throw new ArgumentException(text);
}
