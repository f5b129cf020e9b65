using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bookinfo;

/// <summary>
/// Calls productpage through a sidecar with a few concurrent users (one of them "jason") and redraws, every
/// second, which reviews version answered, the error rate and latency over the last five seconds. The first
/// <c>warmup</c> seconds drive traffic without counting it: freshly started processes (JIT, growing connection
/// pools, each process's first TLS handshakes) answer tens of milliseconds slower for several seconds, which a short
/// run would otherwise report as the mesh's latency. They are summarised on a line of their own.
/// </summary>
internal static class TrafficDriver
{
    private const int Users = 4;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(Uri proxy, int seconds, int warmup)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        if (seconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds + warmup));
        }

        using var client = new HttpClient(new HttpClientHandler { Proxy = new System.Net.WebProxy(proxy), UseProxy = true }) { Timeout = TimeSpan.FromSeconds(10) };
        var samples = new Queue<Sample>();
        var warm = new WarmUp(TimeSpan.FromSeconds(warmup));
        var workers = Enumerable.Range(0, Users).Select(i => DriveAsync(client, i == 0 ? "jason" : null, samples, warm, stop.Token)).ToList();
        var interactive = !Console.IsOutputRedirected;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000, stop.Token);
                if (interactive)
                {
                    Draw(samples, warm, interactive);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(workers);
        Draw(samples, warm, interactive: false);
        return 0;
    }

    private static async Task DriveAsync(HttpClient client, string? user, Queue<Sample> samples, WarmUp warm, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            string version;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://productpage/productpage"));
                if (user is not null)
                {
                    request.Headers.Add("end-user", user);
                }

                using var response = await client.SendAsync(request, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                version = response.IsSuccessStatusCode && JsonDocument.Parse(body).RootElement.TryGetProperty("version", out var v) ? v.GetString() ?? "?" : $"error {(int)response.StatusCode}";
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                version = "error " + ex.HttpRequestError;
            }

            var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (warm.Absorb(milliseconds))
            {
                await Task.Delay(20, CancellationToken.None);
                continue;
            }

            lock (samples)
            {
                samples.Enqueue(new Sample(DateTime.UtcNow, version, user is not null, milliseconds));
                while (samples.Count > 0 && DateTime.UtcNow - samples.Peek().At > Window)
                {
                    samples.Dequeue();
                }
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static void Draw(Queue<Sample> samples, WarmUp warm, bool interactive)
    {
        Sample[] window;
        lock (samples)
        {
            window = [.. samples];
        }

        var text = new StringBuilder();
        if (interactive)
        {
            text.Append("\u001b[H\u001b[2J");
        }

        var hint = interactive ? "; Ctrl+C to stop" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"productpage -> reviews, last {Window.TotalSeconds:0}s ({window.Length} requests{hint})");
        if (warm.Summary() is { } warmUp)
        {
            text.AppendLine(warmUp);
        }

        foreach (var (title, group) in new[] { ("everyone else", window.Where(s => !s.Jason).ToArray()), ("end-user: jason", window.Where(s => s.Jason).ToArray()) })
        {
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"  {title}");
            foreach (var version in group.GroupBy(s => s.Version).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var share = 100.0 * version.Count() / Math.Max(1, group.Length);
                var latencies = version.Select(s => s.Milliseconds).Order().ToArray();
                var bar = new string('#', (int)Math.Round(share / 2.5));
                text.AppendLine(CultureInfo.InvariantCulture, $"    reviews {version.Key,-10} {share,5:0.0}%  {bar,-40} p50 {Percentile(latencies, 0.5),5:0.0} ms  p99 {Percentile(latencies, 0.99),5:0.0} ms");
            }

            var errors = group.Count(s => s.Version.StartsWith("error", StringComparison.Ordinal));
            text.AppendLine(CultureInfo.InvariantCulture, $"    error rate {100.0 * errors / Math.Max(1, group.Length):0.0}%");
        }

        Console.Write(text.ToString());
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed record Sample(DateTime At, string Version, bool Jason, double Milliseconds);

    /// <summary>The first seconds of traffic: counted apart, so the window shows the mesh once it is warm.</summary>
    private sealed class WarmUp(TimeSpan length)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly List<double> _latencies = [];

        /// <summary>Records a response that arrived during the warm-up (true) or tells that the warm-up is over (false).</summary>
        public bool Absorb(double milliseconds)
        {
            if (Stopwatch.GetElapsedTime(_started) >= length)
            {
                return false;
            }

            lock (_latencies)
            {
                _latencies.Add(milliseconds);
            }

            return true;
        }

        public string? Summary()
        {
            double[] sorted;
            double first;
            lock (_latencies)
            {
                if (_latencies.Count == 0)
                {
                    return null;
                }

                first = _latencies[0];
                sorted = [.. _latencies.Order()];
            }

            return string.Create(CultureInfo.InvariantCulture, $"  warm-up, first {length.TotalSeconds:0}s not counted: {sorted.Length} requests, first answer {first:0} ms, p50 {Percentile(sorted, 0.5):0.0} ms");
        }
    }
}
