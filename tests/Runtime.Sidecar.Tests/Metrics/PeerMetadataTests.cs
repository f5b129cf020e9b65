using Runtime.Sidecar.Metrics;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>The metadata-exchange header: its format, what is refused, and the bounded intern table.</summary>
public sealed class PeerMetadataTests
{
    [Fact]
    public void Parse_FormattedValue_RoundTrips()
    {
        var metadata = new PeerMetadata("productpage", "default", "productpage", "v1", "Kubernetes");

        Assert.Equal("workload=productpage;namespace=default;app=productpage;version=v1;cluster=Kubernetes", metadata.Format());
        Assert.Equal(metadata, PeerMetadata.Parse(metadata.Format()));
        Assert.Equal(new PeerMetadata("w", "ns", "unknown", "unknown", "unknown"), PeerMetadata.Parse("workload=w;namespace=ns"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("workload=w")]                                  // no namespace
    [InlineData("namespace=default")]                           // no workload
    [InlineData("workload=w;namespace=a;namespace=b")]          // repeated key
    [InlineData("workload=w;namespace=a;role=admin")]           // unknown key
    [InlineData("workload=w\";namespace=a")]                    // a quote would break the exposition
    [InlineData("workload=w;namespace=a;app=")]                 // empty value
    [InlineData("workload=w;;namespace=a")]
    public void Parse_Malformed_Null(string value) => Assert.Null(PeerMetadata.Parse(value));

    [Fact]
    public void Parse_OverMaxLength_Null() =>
        Assert.Null(PeerMetadata.Parse("workload=" + new string('w', PeerMetadata.MaxLength) + ";namespace=a"));

    [Fact]
    public void Lookup_TableFull_NewValuesIgnoredKnownOnesKept()
    {
        var table = new PeerMetadataTable(capacity: 2);
        var first = table.Lookup("workload=a;namespace=default");
        Assert.Null(table.Lookup("bad"));

        Assert.Null(table.Lookup("workload=c;namespace=default"));
        Assert.Same(first, table.Lookup("workload=a;namespace=default"));
        Assert.Equal("a", first!.Workload);
    }
}
