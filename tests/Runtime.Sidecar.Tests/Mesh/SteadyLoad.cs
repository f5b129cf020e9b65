using System.Collections.Concurrent;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>
/// Two clients sending requests back to back through a sidecar until stopped, recording every failure: the
/// "under load" part of tests that change the mesh while traffic flows. Bounded by the test's own steps.
/// </summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Task[] _workers;
    private readonly HttpClient _client = new() { Timeout = TestTimeouts.Default };
    private int _succeeded;
    private string _lastBody = "";

    private SteadyLoad(Uri outbound, string host)
    {
        _workers = [Task.Run(() => RunAsync(outbound, host)), Task.Run(() => RunAsync(outbound, host))];
    }

    public int Succeeded => Volatile.Read(ref _succeeded);

    public string LastBody => Volatile.Read(ref _lastBody);

    public static SteadyLoad Start(Uri outbound, string host) => new(outbound, host);

    public Task WaitForAsync(int succeeded) =>
        Eventually.Async($"{succeeded} successful requests (have {Succeeded}, failures: {string.Join("; ", _failures.Take(3))})", () => Task.FromResult(Succeeded >= succeeded));

    public async Task<(int Succeeded, IReadOnlyList<string> Failures)> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(TestTimeouts.Default);
        return (Succeeded, [.. _failures]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _client.Dispose();
        _stop.Dispose();
    }

    public static async Task<string> GetAsync(HttpClient client, Uri outbound, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(outbound, "/"));
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new HttpRequestException($"{(int)response.StatusCode}: {body.Trim()}");
    }

    private async Task RunAsync(Uri outbound, string host)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Volatile.Write(ref _lastBody, await GetAsync(_client, outbound, host));
                Interlocked.Increment(ref _succeeded);
            }
            catch (HttpRequestException ex)
            {
                _failures.Enqueue(ex.Message);
            }
        }
    }
}
