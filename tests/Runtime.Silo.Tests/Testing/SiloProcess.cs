using System.Diagnostics;
using System.Text.Json;

namespace Runtime.Silo.Tests.Testing;

/// <summary>
/// The control plane as a separate OS process (the real executable, from this test's output directory), so a
/// test can SIGKILL it. Its ports come from <c>silo.ports.json</c>, written once it listens.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, Uri grpcAddress)
    {
        _process = process;
        GrpcAddress = grpcAddress;
    }

    public Uri GrpcAddress { get; }

    public static async Task<SiloProcess> StartAsync(string dataDir)
    {
        var portsFile = Path.Combine(dataDir, "silo.ports.json");
        File.Delete(portsFile);
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Runtime.Silo.dll"), "--grpc-port", "0", "--http-port", "0", "--data-dir", dataDir, "--log-level", "warning" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the control plane process");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + Timeouts.Default;
        while (!File.Exists(portsFile))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                process.Kill();
                string output;
                lock (log)
                {
                    output = log.ToString();
                }

                throw new TimeoutException($"the control plane process did not start listening (exited: {process.HasExited}); its output:\n{output}");
            }

            // Polling a file the child writes: there is no event to wait on across processes.
            await Task.Delay(50);
        }

        using var ports = JsonDocument.Parse(await File.ReadAllTextAsync(portsFile));
        return new SiloProcess(process, new Uri($"http://127.0.0.1:{ports.RootElement.GetProperty("grpc").GetInt32()}"));
    }

    /// <summary>SIGKILL: no shutdown code runs, as when the machine loses the process.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(Timeouts.Default);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
