using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Runtime.Grpc.Tests.Interop;

/// <summary>
/// Runs Debian's python3-grpcio (an independent gRPC implementation) via Interop/python_client.py.
/// The tests never install anything: scripts/install-deps.sh provides python3-grpcio before the
/// suite runs. Never skips either: without it the test fails saying how to install it.
/// </summary>
internal static class PythonGrpc
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lazy<Task> Available = new(EnsureAvailableAsync);

    public static async Task<PythonCallResult> CallAsync(Uri server, string kind, string method, IEnumerable<IMessage> requests, double? timeoutSeconds = null, string? authority = null)
    {
        await Available.Value.WaitAsync(CallTimeout);
        var spec = new
        {
            target = server.Authority,
            kind,
            method,
            requests = requests.Select(r => Convert.ToHexString(r.ToByteArray())).ToArray(),
            timeout = timeoutSeconds,
            authority,
        };
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "python_client.py");
        var (exitCode, stdout, stderr) = await RunAsync(Python, [script], JsonSerializer.Serialize(spec), CallTimeout);
        Assert.True(exitCode == 0, $"python_client.py {kind} {method} exited with {exitCode}.\nstderr:\n{stderr}\nstdout:\n{stdout}");
        return JsonSerializer.Deserialize<PythonCallResult>(stdout, Json)
            ?? throw new InvalidOperationException($"python_client.py printed no result; stderr:\n{stderr}");
    }

    private static async Task EnsureAvailableAsync()
    {
        const string Missing = "The interop tests need Debian's python3-grpcio, an independent gRPC implementation. "
            + "Run scripts/install-deps.sh (or: apt-get install python3-grpcio) and re-run the tests.";
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} does not exist. {Missing}");
        }

        var check = await RunAsync(Python, ["-c", "import grpc"], null, CallTimeout);
        Assert.True(check.ExitCode == 0, $"{Python} -c 'import grpc' failed (exit {check.ExitCode}): {check.Stderr.Trim()}\n{Missing}");
    }

    /// <summary>Runs a process with a time limit; on timeout kills it (by its own PID) and fails with its output.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, string[] arguments, string? stdin, TimeSpan timeout)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', arguments)} (pid {process.Id}) did not finish within {timeout} and was killed.\nstderr so far:\n{await stderr.WaitAsync(TimeSpan.FromSeconds(5))}");
        }

        return (process.ExitCode, await stdout.WaitAsync(TimeSpan.FromSeconds(5)), await stderr.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
