namespace Runtime.Silo.Hosting;

/// <summary>
/// What <c>/readyz</c> reports: ready once the store is open and the management API is mapped, and
/// not ready again from the moment shutdown begins.
/// </summary>
internal sealed class SiloReadiness
{
    private volatile bool _storeOpen;
    private volatile bool _apiMapped;
    private volatile bool _stopping;

    public void StoreOpened() => _storeOpen = true;

    public void ApiMapped() => _apiMapped = true;

    public void Stopping() => _stopping = true;

    /// <summary><see langword="null"/> when ready; otherwise why not.</summary>
    public string? NotReadyReason =>
        _stopping ? "shutting down"
        : !_storeOpen ? "config store not open yet"
        : !_apiMapped ? "management API not mapped yet"
        : null;
}
