using System.Diagnostics;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>Runs Prometheus' own <c>promtool check metrics</c> (Debian's 'prometheus' package) on an exposition.</summary>
internal static class Promtool
{
    /// <summary>
    /// Asserts promtool parses <paramref name="text"/> and finds nothing to lint but the one finding it must: Istio's own
    /// name istio_request_duration_milliseconds (Prometheus prefers seconds).
    /// </summary>
    public static async Task AssertAcceptedAsync(string text)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        Assert.True(promtool is not null, "promtool not found: it comes with Debian's 'prometheus' package, which ./scripts/install-deps.sh installs (run it, or ./scripts/test.sh)");
        using var process = Process.Start(new ProcessStartInfo(promtool!, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Default);
        // promtool exits 1 when it cannot parse the text and 3 for lint findings.
        var findings = (await stdout + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => f != "istio_request_duration_milliseconds use base unit \"seconds\" instead of \"milliseconds\"").ToArray();
        Assert.True(process.ExitCode is 0 or 3 && findings.Length == 0, $"promtool check metrics exited {process.ExitCode}: {string.Join('\n', findings)}\n--- exposition ---\n{text}");
    }
}
