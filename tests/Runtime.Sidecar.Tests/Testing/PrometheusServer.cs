using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>
/// A real Prometheus (Debian's 'prometheus' package) for tests: writes a scrape config for the given targets, starts
/// the server on 127.0.0.1 port 0 with its own data directory, waits until it is ready, answers PromQL through the
/// HTTP API and stops the process it started, by its id.
/// </summary>
internal sealed partial class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log;
    private readonly HttpClient _http = new() { Timeout = TestTimeouts.Default };

    private PrometheusServer(Process process, string directory, StringBuilder log, Uri address)
    {
        _process = process;
        _directory = directory;
        _log = log;
        Address = address;
    }

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    /// <summary>What the server logged so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>A scrape job: its name, metrics path and <c>host:port</c> targets.</summary>
    internal sealed record ScrapeJob(string Name, string MetricsPath, IReadOnlyList<Uri> Targets);

    /// <summary>The Prometheus config file for <paramref name="jobs"/>, scraping every <paramref name="interval"/>.</summary>
    public static string Config(IEnumerable<ScrapeJob> jobs, TimeSpan interval)
    {
        var seconds = string.Create(CultureInfo.InvariantCulture, $"{interval.TotalSeconds}s");
        var text = new StringBuilder($"global:\n  scrape_interval: {seconds}\n  scrape_timeout: {seconds}\nscrape_configs:\n");
        foreach (var job in jobs)
        {
            var targets = string.Join(", ", job.Targets.Select(t => $"\"{t.Host}:{t.Port}\""));
            text.Append(CultureInfo.InvariantCulture, $"- job_name: \"{job.Name}\"\n  metrics_path: \"{job.MetricsPath}\"\n  static_configs:\n  - targets: [{targets}]\n");
        }

        return text.ToString();
    }

    /// <summary>Starts Prometheus scraping <paramref name="jobs"/> every <paramref name="interval"/> and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<ScrapeJob> jobs, TimeSpan interval)
    {
        var binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists);
        Assert.True(binary is not null, "prometheus not found: it comes with Debian's 'prometheus' package, which ./scripts/install-deps.sh installs (run it, or ./scripts/test.sh)");
        var directory = Directory.CreateTempSubdirectory("prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, Config(jobs, interval));

        var start = new ProcessStartInfo(binary!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--config.file=" + config,
            "--storage.tsdb.path=" + Path.Combine(directory, "data"),
            "--web.listen-address=127.0.0.1:0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var log = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            // Port 0: Prometheus logs the address it actually bound ("Listening on" address=127.0.0.1:40123).
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(new Uri($"http://{match.Groups[1].Value}/"));
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("prometheus exited during start-up"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        PrometheusServer? server = null;
        try
        {
            var address = await listening.Task.WaitAsync(TestTimeouts.Default);
            server = new PrometheusServer(process, directory, log, address);
            await server.WaitUntilAsync("Prometheus ready", async http => (await http.GetAsync(new Uri(address, "-/ready"))).IsSuccessStatusCode);
            return server;
        }
        catch (Exception ex) when (server is null)
        {
            Stop(process);
            throw new InvalidOperationException($"prometheus did not start: {ex.Message}\n{log}", ex);
        }
    }

    /// <summary>Waits until every scrape target is up (each scraped successfully at least once).</summary>
    public Task WaitForTargetsUpAsync(int count) => WaitUntilAsync($"{count} scrape targets up", async http =>
    {
        var targets = await http.GetFromJsonAsync<JsonElement>(new Uri(Address, "api/v1/targets?state=active"));
        var active = targets.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToArray();
        return active.Length == count && active.All(t => t.GetProperty("health").GetString() == "up");
    });

    /// <summary>Evaluates an instant PromQL query now: each result's labels and value.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var body = await _http.GetFromJsonAsync<JsonElement>(new Uri(Address, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
        Assert.True(body.GetProperty("status").GetString() == "success", $"query {promql} failed: {body}");
        var data = body.GetProperty("data");
        Assert.Equal("vector", data.GetProperty("resultType").GetString());
        return [.. data.GetProperty("result").EnumerateArray().Select(r => (
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds, failing with Prometheus' log after the default timeout.</summary>
    public async Task WaitUntilAsync(string what, Func<HttpClient, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited ({_process.ExitCode}) while waiting for {what}\n{Log}");
            }

            try
            {
                if (await condition(_http))
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"waited {TestTimeouts.Default.TotalSeconds}s for {what}{(last is null ? "" : "; last error: " + last.Message)}\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        Stop(_process);
        await _process.WaitForExitAsync().WaitAsync(TestTimeouts.Default);
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    // Only the process this helper started (Process.Kill signals its own pid; never a lookup by name).
    private static void Stop(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex("msg=\"Listening on\" address=([0-9.]+:[0-9]+)")]
    private static partial Regex ListeningLine();
}
