using System.Collections.Concurrent;
using System.Globalization;
using Runtime.Grpc;
using Runtime.Grpc.Client;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Testing;

namespace Runtime.Silo.Tests.Store;

public sealed class CrashDurabilityTests
{
    [Fact]
    public async Task Apply_ProcessKilledMidWrite_RestartServesEveryAcknowledgedBatchAndNoHalfBatch()
    {
        using var directory = new TempDirectory();
        var acknowledged = new ConcurrentBag<int>();
        var next = -1;
        using (var silo = await SiloProcess.StartAsync(directory.Path))
        using (var client = new GrpcClient(silo.GrpcAddress))
        {
            using var enough = new CancellationTokenSource();
            var twentyAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // Two writers keep applies in flight, so the kill lands while the store is writing.
            async Task WriteAsync()
            {
                while (!enough.IsCancellationRequested)
                {
                    var batch = Interlocked.Increment(ref next);
                    try
                    {
                        await client.ApplyAsync(Batch(batch), $"batch-{batch}.yaml");
                    }
                    catch (GrpcException)
                    {
                        return; // The process is gone: this batch was never acknowledged.
                    }

                    acknowledged.Add(batch);
                    if (acknowledged.Count >= 20)
                    {
                        twentyAcknowledged.TrySetResult();
                    }
                }
            }

            var writers = new[] { Task.Run(WriteAsync), Task.Run(WriteAsync) };
            await twentyAcknowledged.Task.Within("20 acknowledged applies");
            silo.Kill();
            await enough.CancelAsync();
            await Task.WhenAll(writers).Within("the writers to notice the kill");
        }

        using var restarted = await SiloProcess.StartAsync(directory.Path);
        using var reader = new GrpcClient(restarted.GrpcAddress);
        var stored = (await reader.ListAsync("vs")).Resources.Select(r => r.Metadata.Name).ToHashSet();

        foreach (var batch in acknowledged)
        {
            Assert.True(Names(batch).All(stored.Contains), $"acknowledged batch {batch} is missing after the restart");
        }

        for (var batch = 0; batch <= next; batch++)
        {
            var present = Names(batch).Count(stored.Contains);
            Assert.True(present is 0 or 3, $"batch {batch} is half-applied after the crash: {present} of 3 resources stored");
        }
    }

    private static string[] Names(int batch) => [.. "abc".Select(c => string.Create(CultureInfo.InvariantCulture, $"vs-{batch}-{c}"))];

    private static string Batch(int batch) => string.Join("\n---\n", Names(batch).Select(name => $"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: {name}
        spec:
          hosts: [{name}]
          http:
          - route:
            - destination:
                host: {name}
        """));
}
