using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bookinfo;

/// <summary>
/// Calls productpage through a sidecar with a few concurrent users (one of them "jason") and redraws, every
/// second, which reviews version answered, the error rate and latency over the last five seconds.
/// </summary>
internal static class TrafficDriver
{
    private const int Users = 4;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(Uri proxy, int seconds)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        if (seconds > 0)
        {
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        using var client = new HttpClient(new HttpClientHandler { Proxy = new System.Net.WebProxy(proxy), UseProxy = true }) { Timeout = TimeSpan.FromSeconds(10) };
        var samples = new Queue<Sample>();
        var workers = Enumerable.Range(0, Users).Select(i => DriveAsync(client, i == 0 ? "jason" : null, samples, stop.Token)).ToList();
        var interactive = !Console.IsOutputRedirected;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000, stop.Token);
                if (interactive)
                {
                    Draw(samples, interactive);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(workers);
        Draw(samples, interactive: false);
        return 0;
    }

    private static async Task DriveAsync(HttpClient client, string? user, Queue<Sample> samples, CancellationToken cancellationToken)
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

            lock (samples)
            {
                samples.Enqueue(new Sample(DateTime.UtcNow, version, user is not null, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                while (samples.Count > 0 && DateTime.UtcNow - samples.Peek().At > Window)
                {
                    samples.Dequeue();
                }
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private static void Draw(Queue<Sample> samples, bool interactive)
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
}
