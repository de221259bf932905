using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Tests.Messages;

namespace PostureGate.Ike.Tests.Crypto;

/// <summary>An IKE_AUTH request with a 3000-octet certificate, and the SA keys to protect it.</summary>
internal sealed class FragmentTestData : IDisposable
{
    public FragmentTestData(uint messageId = 1)
    {
        Keys = IkeSaKeys.Derive(StrongSwanMessages.AesCbc128Sha256, [1, 2, 3], StrongSwanMessages.Filled(32, 1),
            StrongSwanMessages.Filled(32, 2), StrongSwanMessages.SpiI, StrongSwanMessages.SpiR);
        Outbound = Keys.CreateCipher(true);
        Inbound = Keys.CreateCipher(true);
        Message = StrongSwanMessages.IkeAuthRequest();
        Message.Header = Message.Header with { MessageId = messageId };
        Message.Payloads.Insert(1, new CertPayload(CertEncoding.X509Signature, StrongSwanMessages.Filled(3000, 9)));
    }

    public IkeSaKeys Keys { get; }
    public SkCipher Outbound { get; }
    public SkCipher Inbound { get; }
    public IkeMessage Message { get; }

    public List<IkeMessage> ParsedFragments(int maxSize)
    {
        var result = new List<IkeMessage>();
        foreach (var bytes in IkeFragmenter.Fragment(Message, Outbound, maxSize))
        {
            Assert.True(IkeMessage.TryParse(bytes, out var parsed, out var error), error.ToString());
            result.Add(parsed!);
        }
        return result;
    }

    public void Dispose()
    {
        Outbound.Dispose();
        Inbound.Dispose();
        Keys.Dispose();
    }
}
