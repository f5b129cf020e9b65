using System.ComponentModel;
using System.Diagnostics;

namespace Runtime.Cli.Commands;

/// <summary>Opens a URL in the user's browser: <c>open</c> on macOS, <c>xdg-open</c> on Linux when there is a display.</summary>
internal static class BrowserLauncher
{
    /// <summary>
    /// Which opener to run, or null with <paramref name="reason"/> when none should be: on Linux and the BSDs a
    /// browser needs a graphical session (DISPLAY or WAYLAND_DISPLAY), so over plain SSH only the URL is printed.
    /// </summary>
    /// <param name="environment">Reads an environment variable (injectable for tests).</param>
    /// <param name="reason">Why nothing is opened.</param>
    public static string? Opener(Func<string, string?> environment, out string reason)
    {
        ArgumentNullException.ThrowIfNull(environment);
        reason = "";
        if (OperatingSystem.IsMacOS())
        {
            return "open";
        }

        if (string.IsNullOrEmpty(environment("DISPLAY")) && string.IsNullOrEmpty(environment("WAYLAND_DISPLAY")))
        {
            reason = "no display (DISPLAY and WAYLAND_DISPLAY are unset), so no browser was opened";
            return null;
        }

        return "xdg-open";
    }

    /// <summary>Starts the opener for <paramref name="url"/>; null when it started, else why not.</summary>
    public static string? TryOpen(Uri url, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (Opener(environment, out var reason) is not { } opener)
        {
            return reason;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(opener) { ArgumentList = { url.AbsoluteUri }, UseShellExecute = false });
            return process is null ? $"{opener} did not start" : null;
        }
        catch (Win32Exception ex)
        {
            return $"could not run {opener}: {ex.Message}";
        }
    }
}
