using System.Diagnostics;
using System.Globalization;

namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>A sidecar as a separate OS process (the real executable), so a test can SIGKILL it.</summary>
internal sealed class SidecarProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private SidecarProcess(Process process, string dataDir)
    {
        _process = process;
        _dataDir = dataDir;
    }

    public static SidecarProcess Start(Uri controlPlane, string service, int appPort, string instance)
    {
        var dataDir = Directory.CreateTempSubdirectory("mesh-sidecar-process-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "Runtime.Sidecar.dll"),
                "--service", service, "--instance", instance, "--control-plane", controlPlane.ToString(),
                "--app-port", appPort.ToString(CultureInfo.InvariantCulture),
                "--inbound-port", "0", "--outbound-port", "0", "--admin-port", "0",
                "--data-dir", dataDir, "--log-level", "warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the sidecar process");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SidecarProcess(process, dataDir);
    }

    /// <summary>SIGKILL: the sidecar cannot deregister; the control plane must notice the silence.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }
}
