using Microsoft.AspNetCore.Http;

namespace Runtime.Grpc.Server;

/// <summary>
/// Per-call state on the server: the call's token (client abort + deadline), request reading,
/// response writing and the final status. Reading, writing and status live in partial files.
/// </summary>
internal sealed partial class GrpcServerCall : IDisposable
{
    private readonly HttpContext _httpContext;
    private readonly GrpcServerOptions _options;
    private readonly CancellationTokenSource? _deadlineSource;
    private readonly CancellationTokenSource _callSource;

    public GrpcServerCall(HttpContext httpContext, string method, GrpcServerOptions options, TimeSpan? timeout, TimeProvider timeProvider)
    {
        _httpContext = httpContext;
        _options = options;
        DateTimeOffset? deadline = null;
        if (timeout is { } value && value < MaxTimerDelay)
        {
            deadline = timeProvider.GetUtcNow() + value;
            _deadlineSource = new CancellationTokenSource(value, timeProvider);
            _callSource = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, _deadlineSource.Token);
        }
        else
        {
            // No deadline, or one beyond what a timer can express (~49 days): effectively none.
            _callSource = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
        }

        Method = method;
        Context = new GrpcCallContext(httpContext, method, deadline, _callSource.Token);
    }

    public string Method { get; }

    public GrpcCallContext Context { get; }

    /// <summary>True once the deadline passed (the handler's token has fired or is about to).</summary>
    public bool DeadlineExceeded => _deadlineSource?.IsCancellationRequested == true;

    private static TimeSpan MaxTimerDelay { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public void Dispose()
    {
        _callSource.Dispose();
        _deadlineSource?.Dispose();
    }
}
