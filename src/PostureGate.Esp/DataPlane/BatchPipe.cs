// A fixed set of packet batches cycling between the two stages of one direction, as
// wireguard-go hands elements from its encryption workers to the sequential sender:
// stage 1 (device read + ESP) fills a batch and publishes it, stage 2 (device write)
// drains it and hands it back. Batches are FIFO, so per-SA order survives; the set is
// allocated once, so the steady state allocates nothing.
using System.Collections.Concurrent;
using PostureGate.Esp.Devices;

namespace PostureGate.Esp;

/// <summary>One batch in flight: the buffers a device fills and the references the next stage consumes.</summary>
internal sealed class PacketBatch(int size, int capacity)
{
    public PacketBuffer[] Buffers { get; } = PacketBuffer.CreateBatch(size, capacity);

    public PacketBuffer[] Output { get; } = new PacketBuffer[size];

    public int Count { get; set; }
}

internal sealed class BatchPipe : IDisposable
{
    private readonly BlockingCollection<PacketBatch> _free;
    private readonly BlockingCollection<PacketBatch> _full;

    public BatchPipe(int depth, int batchSize, int capacity)
    {
        _free = new BlockingCollection<PacketBatch>(new ConcurrentQueue<PacketBatch>(), depth);
        _full = new BlockingCollection<PacketBatch>(new ConcurrentQueue<PacketBatch>(), depth);
        for (var i = 0; i < depth; i++)
            _free.Add(new PacketBatch(batchSize, capacity));
    }

    /// <summary>A batch for stage 1 to fill; null when cancelled.</summary>
    public PacketBatch? Rent(CancellationToken token) => Take(_free, token);

    /// <summary>Stage 1 publishes a filled batch.</summary>
    public void Publish(PacketBatch batch) => _full.Add(batch);

    /// <summary>The oldest filled batch for stage 2; null when cancelled.</summary>
    public PacketBatch? Next(CancellationToken token) => Take(_full, token);

    /// <summary>A batch goes back to stage 1.</summary>
    public void Return(PacketBatch batch) => _free.Add(batch);

    private static PacketBatch? Take(BlockingCollection<PacketBatch> queue, CancellationToken token)
    {
        // The uncontended path never registers with the token.
        if (queue.TryTake(out var batch))
            return batch;
        try
        {
            return queue.Take(token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _free.Dispose();
        _full.Dispose();
    }
}
