using Google.Rpc;
using Runtime.Grpc.Server;
using Runtime.Grpc.Tests.Echo;

namespace Runtime.Grpc.Tests.Infrastructure;

/// <summary>The test EchoService; records what the server side observed for assertions.</summary>
internal sealed class EchoBehavior
{
    public const string Service = "/runtime.grpc.tests.echo.EchoService/";

    /// <summary>Completes with true when a Slow call's token fired.</summary>
    public TaskCompletionSource<bool> SlowCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the context of the last Slow call once it started.</summary>
    public TaskCompletionSource<GrpcCallContext> SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with true when a Count call's handler ended with its token cancelled.</summary>
    public TaskCompletionSource<bool> CountCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a Count call wrote <c>pause_after</c> replies and is waiting on <see cref="CountGate"/>.</summary>
    public TaskCompletionSource CountPaused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A paused Count call resumes when the test completes this; until then only cancellation ends it.</summary>
    public TaskCompletionSource CountGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once a Count call's handler returned normally.</summary>
    public TaskCompletionSource CountCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GrpcServiceDefinition Define() =>
        GrpcServiceDefinition.For(EchoReflection.Descriptor.Services[0])
            .Unary<EchoRequest, EchoReply>("Echo", EchoAsync)
            .ServerStreaming<CountRequest, CountReply>("Count", CountAsync)
            .Unary<FailRequest, EchoReply>("Fail", Fail)
            .Unary<SlowRequest, EchoReply>("Slow", SlowAsync)
            .Build();

    private static Task<EchoReply> EchoAsync(EchoRequest request, GrpcCallContext context)
    {
        var suffix = context.HttpContext.Request.Headers["x-echo-suffix"].ToString();
        return Task.FromResult(new EchoReply { Text = request.Text + suffix, PayloadLength = request.Payload.Length });
    }

    private async Task CountAsync(CountRequest request, IGrpcStreamWriter<CountReply> writer, GrpcCallContext context)
    {
        try
        {
            for (var i = 0; i < request.Count; i++)
            {
                if (request.FailAfter > 0 && i == request.FailAfter)
                {
                    throw new GrpcException(GrpcStatusCode.Aborted, $"stopped after {i} replies");
                }

                if (request.PauseAfter > 0 && i == request.PauseAfter)
                {
                    CountPaused.TrySetResult();
                    await CountGate.Task.WaitAsync(context.CancellationToken);
                }

                await writer.WriteAsync(new CountReply
                {
                    Index = i,
                    Stamp = new CountReply.Types.Stamp { Sequence = i * 10 },
                    Parity = i % 2 == 0 ? CountReply.Types.Parity.Even : CountReply.Types.Parity.Odd,
                });
            }
        }
        finally
        {
            // Checked on the way out rather than with token.Register: the handler can unwind inline
            // inside the token's callbacks and dispose a registration before it runs.
            if (context.CancellationToken.IsCancellationRequested)
            {
                CountCancelled.TrySetResult(true);
            }
        }

        CountCompleted.TrySetResult();
    }

    private static Task<EchoReply> Fail(FailRequest request, GrpcCallContext context)
    {
        if (request.Code == 0)
        {
            throw new InvalidOperationException("secret internal detail");
        }

        var badRequest = new BadRequest();
        badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = request.Field, Description = "must not be empty" });
        throw new GrpcException((GrpcStatusCode)request.Code, request.Message, [badRequest]);
    }

    private async Task<EchoReply> SlowAsync(SlowRequest request, GrpcCallContext context)
    {
        SlowStarted.TrySetResult(context);
        try
        {
            // Without a delay the call waits for its token alone: only a deadline or a cancel ends it.
            await Task.Delay(request.Delay?.ToTimeSpan() ?? Timeout.InfiniteTimeSpan, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            SlowCancelled.TrySetResult(true);
            throw;
        }

        return new EchoReply { Text = "slow done" };
    }
}
