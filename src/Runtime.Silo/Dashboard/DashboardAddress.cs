namespace Runtime.Silo.Dashboard;

/// <summary>
/// The HTTP listener's base URL once it is bound (port 0 picks one), so <c>ServerInfo.GetVersion</c> can tell
/// <c>meshctl dashboard</c> where the UI is.
/// </summary>
internal sealed class DashboardAddress
{
    private Uri? _address;

    /// <summary>The listener's base URL; null until the listeners are started.</summary>
    public Uri? Address => Volatile.Read(ref _address);

    /// <summary>Records the bound address.</summary>
    /// <param name="address">The HTTP listener's base URL.</param>
    public void Set(Uri address) => Volatile.Write(ref _address, address);
}
