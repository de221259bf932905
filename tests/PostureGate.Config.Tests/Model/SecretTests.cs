// Secret (psksecret, passwd, api-key values): never printed, compared by value, zeroed when disposed.
using PostureGate.Config.Model;

namespace PostureGate.Config.Tests.Model;

public class SecretTests
{
    [Fact]
    public void SecretHidesItsValueComparesByValueAndZeroesOnDispose()
    {
        var a = new Secret("s3cret");
        Assert.Equal("****", a.ToString());
        Assert.Equal(new Secret("s3cret"), a);
        Assert.NotEqual(new Secret("s3creT"), a);
        a.Dispose();
        Assert.True(a.Utf8.ToArray().All(b => b == 0));
    }
}
