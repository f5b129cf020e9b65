using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Google.Rpc;
using Runtime.Grpc.Client;
using Runtime.Grpc.Tests.Echo;
using Runtime.Grpc.Tests.Infrastructure;

namespace Runtime.Grpc.Tests.Client;

public sealed class GrpcClientFunctionalTests : IAsyncLifetime
{
    private const string Echo = EchoBehavior.Service + "Echo";
    private const string Count = EchoBehavior.Service + "Count";
    private const string Fail = EchoBehavior.Service + "Fail";
    private const string Slow = EchoBehavior.Service + "Slow";

    private GrpcTestServer _server = null!;
    private GrpcClient _client = null!;
    private string[] _expectedErrorEvents = [];

    public async Task InitializeAsync()
    {
        _server = await GrpcTestServer.StartAsync(options => options.MaxReceiveMessageSize = 64 * 1024);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _server.Logs.AssertNoUnexpectedErrors(_expectedErrorEvents);
    }

    [Fact]
    public async Task UnaryAsync_Echo_ReturnsResponseAndSendsHeaders()
    {
        var reply = await _client.UnaryAsync(
            Echo,
            new EchoRequest { Text = "hello", Payload = ByteString.CopyFrom(new byte[1000]) },
            EchoReply.Parser,
            new GrpcCallOptions { Headers = new Dictionary<string, string> { ["x-echo-suffix"] = " world" } }).Within();

        Assert.Equal("hello world", reply.Text);
        Assert.Equal(1000, reply.PayloadLength);
    }

    [Fact]
    public async Task UnaryAsync_EmptyMessages_RoundTrip()
    {
        var reply = await _client.UnaryAsync(Echo, new EchoRequest(), EchoReply.Parser).Within();

        Assert.Equal(new EchoReply(), reply);
    }

    [Fact]
    public async Task UnaryAsync_ManyConcurrentCalls_AllSucceed()
    {
        var calls = Enumerable.Range(0, 50)
            .Select(i => _client.UnaryAsync(Echo, new EchoRequest { Text = $"#{i}" }, EchoReply.Parser));

        var replies = await Task.WhenAll(calls).Within();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"#{i}"), replies.Select(r => r.Text));
    }

    [Fact]
    public async Task ServerStreamingAsync_Count_StreamsEveryMessageInOrder()
    {
        var replies = await _client.ServerStreamingAsync(Count, new CountRequest { Count = 5 }, CountReply.Parser).CollectAsync();

        Assert.Equal([0, 1, 2, 3, 4], replies.Select(r => r.Index));
        Assert.Equal(40, replies[4].Stamp.Sequence);
    }

    [Fact]
    public async Task ServerStreamingAsync_EachWriteIsFlushed_FirstMessageArrivesWhileHandlerPaused()
    {
        // The handler writes one reply, then waits on a gate the test opens only after reading it:
        // if writes were not flushed, the first reply would never arrive and this would time out.
        var request = new CountRequest { Count = 3, PauseAfter = 1 };
        using var cancel = new CancellationTokenSource(TestTimeouts.Default);
        await using var stream = _client.ServerStreamingAsync(Count, request, CountReply.Parser).GetAsyncEnumerator(cancel.Token);

        Assert.True(await stream.MoveNextAsync().AsTask().Within());
        Assert.Equal(0, stream.Current.Index);
        await _server.Echo.CountPaused.Task.Within();
        Assert.False(_server.Echo.CountCompleted.Task.IsCompleted, "the handler finished before the gate opened");

        _server.Echo.CountGate.SetResult();
        Assert.True(await stream.MoveNextAsync().AsTask().Within());
        Assert.True(await stream.MoveNextAsync().AsTask().Within());
        Assert.Equal(2, stream.Current.Index);
        Assert.False(await stream.MoveNextAsync().AsTask().Within());
        await _server.Echo.CountCompleted.Task.Within();
    }

    [Fact]
    public async Task ServerStreamingAsync_ErrorAfterMessages_DeliversMessagesThenStatus()
    {
        var received = new List<int>();
        var error = await Assert.ThrowsAsync<GrpcException>(async () =>
        {
            await foreach (var reply in _client.ServerStreamingAsync(Count, new CountRequest { Count = 5, FailAfter = 2 }, CountReply.Parser))
            {
                received.Add(reply.Index);
            }
        }).Within();

        Assert.Equal([0, 1], received);
        Assert.Equal(GrpcStatusCode.Aborted, error.Status);
        Assert.Equal("stopped after 2 replies", error.Message);
    }

    [Fact]
    public async Task UnaryAsync_HandlerThrowsGrpcException_StatusMessageAndDetailsRoundTrip()
    {
        var request = new FailRequest { Code = (int)GrpcStatusCode.InvalidArgument, Message = "spec.weight is invalid", Field = "spec.weight" };

        var error = await Assert.ThrowsAsync<GrpcException>(() => _client.UnaryAsync(Fail, request, EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.InvalidArgument, error.Status);
        Assert.Equal("spec.weight is invalid", error.Message);
        var detail = Assert.Single(error.Details);
        Assert.True(detail.Is(BadRequest.Descriptor));
        var violation = Assert.Single(error.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("spec.weight", violation.Field);
        Assert.Equal("must not be empty", violation.Description);
    }

    [Theory]
    [InlineData("héllo wörld — ✓ 100%")]
    [InlineData("line one\nline two\r\n\ttabbed")]
    [InlineData("emoji 🚀 and %41 literal")]
    public async Task UnaryAsync_NonAsciiAndMultiLineMessage_RoundTripsExactly(string message)
    {
        var request = new FailRequest { Code = (int)GrpcStatusCode.FailedPrecondition, Message = message };

        var error = await Assert.ThrowsAsync<GrpcException>(() => _client.UnaryAsync(Fail, request, EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.FailedPrecondition, error.Status);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task UnaryAsync_HandlerThrowsPlainException_InternalWithoutLeakingDetails()
    {
        _expectedErrorEvents = ["LogHandlerFailed"];

        var error = await Assert.ThrowsAsync<GrpcException>(() => _client.UnaryAsync(Fail, new FailRequest(), EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.Internal, error.Status);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.Contains(_server.Logs.Entries, e => e.EventName == "LogHandlerFailed" && e.Exception?.Message == "secret internal detail");
    }

    [Fact]
    public async Task UnaryAsync_DeadlinePasses_DeadlineExceededAndHandlerTokenCancelled()
    {
        // The handler waits for its token alone, so only the deadline can end the call. A warm
        // connection and a deadline of a second leave the request ample time to reach the handler.
        await _client.UnaryAsync(Echo, new EchoRequest(), EchoReply.Parser).Within();

        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _client.UnaryAsync(Slow, new SlowRequest(), EchoReply.Parser, new GrpcCallOptions { Timeout = TimeSpan.FromSeconds(1) })).Within();

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, error.Status);
        Assert.True(await _server.Echo.SlowCancelled.Task.Within());
        var context = await _server.Echo.SlowStarted.Task.Within();
        Assert.NotNull(context.Deadline);
        Assert.Equal(EchoBehavior.Service + "Slow", context.Method);
    }

    [Fact]
    public async Task UnaryAsync_ServerDeadlineFiresFirst_DeadlineExceededFromServer()
    {
        // Send a short grpc-timeout but give the client's own timer no chance to win: the server answers.
        using var raw = new HttpClient(new SocketsHttpHandler());
        // An empty SlowRequest: the handler waits for its token alone, so only the deadline ends it.
        var frame = new byte[5];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, Slow))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("grpc-timeout", "200m");
        request.Headers.TryAddWithoutValidation("te", "trailers");

        using var response = await raw.SendAsync(request).Within();
        await response.Content.ReadAsByteArrayAsync().Within();

        Assert.Equal("4", response.Headers.TryGetValues("grpc-status", out var values) ? values.Single() : response.TrailingHeaders.GetValues("grpc-status").Single());
        Assert.True(await _server.Echo.SlowCancelled.Task.Within());
    }

    [Fact]
    public async Task UnaryAsync_CallerCancels_ThrowsOperationCanceledAndHandlerTokenCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var call = _client.UnaryAsync(
            Slow, new SlowRequest(), EchoReply.Parser, cancellationToken: cancel.Token);
        await _server.Echo.SlowStarted.Task.Within();

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call).Within();
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.True(await _server.Echo.SlowCancelled.Task.Within());
    }

    [Fact]
    public async Task ServerStreamingAsync_ConsumerStopsEarly_ServerHandlerCancelled()
    {
        // After 3 replies the handler waits on a gate that never opens: only the reset can end it.
        var request = new CountRequest { Count = 1000, PauseAfter = 3 };
        using var cancel = new CancellationTokenSource(TestTimeouts.Default);
        await foreach (var reply in _client.ServerStreamingAsync(Count, request, CountReply.Parser).WithCancellation(cancel.Token))
        {
            if (reply.Index == 2)
            {
                break;
            }
        }

        Assert.True(await _server.Echo.CountCancelled.Task.Within());
        Assert.False(_server.Echo.CountCompleted.Task.IsCompleted, "the handler ran to completion instead of being cancelled");

        // The break reset the stream; the server must not log it as an error (checked in DisposeAsync).
        var call = await _client.UnaryAsync(Echo, new EchoRequest { Text = "still fine" }, EchoReply.Parser).Within();
        Assert.Equal("still fine", call.Text);
    }

    [Fact]
    public async Task UnaryAsync_UnmappedMethodOfMappedService_Unimplemented()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _client.UnaryAsync(EchoBehavior.Service + "Unmapped", new EchoRequest(), EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.Unimplemented, error.Status);
        Assert.Contains("Unmapped", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryAsync_UnknownMethodName_Unimplemented()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _client.UnaryAsync(EchoBehavior.Service + "NoSuchMethod", new EchoRequest(), EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.Unimplemented, error.Status);
    }

    [Fact]
    public async Task UnaryAsync_UnknownService_UnimplementedFromHttp404()
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            _client.UnaryAsync("/no.such.Service/Method", new EchoRequest(), EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.Unimplemented, error.Status);
    }

    [Fact]
    public async Task UnaryAsync_RequestOverMaxReceiveSize_ResourceExhausted()
    {
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[128 * 1024]) };

        var error = await Assert.ThrowsAsync<GrpcException>(() => _client.UnaryAsync(Echo, request, EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.Status);
    }

    [Fact]
    public async Task UnaryAsync_ResponseOverClientLimit_ResourceExhausted()
    {
        using var client = new GrpcClient(_server.Address) { MaxReceiveMessageSize = 10 };

        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            client.UnaryAsync(Echo, new EchoRequest { Text = new string('x', 100) }, EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.Status);
    }

    [Fact]
    public async Task UnaryAsync_ServerUnreachable_UnavailableNamingAddressAndSocketError()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new GrpcClient(new Uri($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<GrpcException>(() => client.UnaryAsync(Echo, new EchoRequest(), EchoReply.Parser)).Within();

        Assert.Equal(GrpcStatusCode.Unavailable, error.Status);
        Assert.Equal($"cannot reach http://127.0.0.1:{port}: Connection refused", error.Message);
    }

    [Fact]
    public void UnaryAsync_ReservedHeader_ThrowsArgumentException()
    {
        var options = new GrpcCallOptions { Headers = new Dictionary<string, string> { ["grpc-timeout"] = "1S" } };

        Assert.Throws<ArgumentException>(() => _client.UnaryAsync(Echo, new EchoRequest(), EchoReply.Parser, options).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task Server_NonGrpcContentType_Http415WithGrpcStatus()
    {
        using var raw = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, Echo))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await raw.SendAsync(request).Within();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("13", response.Headers.GetValues("grpc-status").Single());
    }
}
