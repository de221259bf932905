using PostureGate.Net;

namespace PostureGate.Foundation.Tests.Net;

public class HostNameTests
{
    [Theory]
    [InlineData("gw")]
    [InlineData("vpn-b.pg.example")]
    [InlineData("3com.example")]
    [InlineData("a1.b2.c3")]
    public void Accepts(string name) => Assert.Null(HostName.Problem(name));

    [Theory]
    [InlineData("Empty", "")]
    [InlineData("TrailingDot", "vpn.example.")]
    [InlineData("EmptyLabel", "vpn..example")]
    [InlineData("LeadingHyphen", "-vpn.example")]
    [InlineData("TrailingHyphen", "vpn-.example")]
    [InlineData("Underscore", "vpn_b.example")]
    [InlineData("Space", "vpn b")]
    [InlineData("NonAscii", "vpné.example")]
    [InlineData("AllNumericEnd", "192.0.2.1")]
    [InlineData("NumericTopLabel", "vpn.123")]
    public void Refuses(string vector, string text) => Assert.True(HostName.Problem(text) is not null, vector);

    [Fact]
    public void Refuses_LabelOf64() => Assert.NotNull(HostName.Problem(new string('a', 64) + ".example"));

    [Fact]
    public void Accepts_LabelOf63() => Assert.Null(HostName.Problem(new string('a', 63) + ".example"));

    [Fact]
    public void Refuses_254Characters() => Assert.NotNull(HostName.Problem(OfLength(254)));

    [Fact]
    public void Accepts_253Characters() => Assert.Null(HostName.Problem(OfLength(253)));

    // Three labels of 63 and a last one making up the rest.
    private static string OfLength(int n) => string.Join('.', Enumerable.Repeat(new string('a', 63), 3)) + "." + new string('b', n - 192);
}
