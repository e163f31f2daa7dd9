namespace KMeansPS.Imaging.Tests;

// The cache is process-wide: these tests use lengths no other test uses, so parallel tests cannot take their buffers.
public class LargeBufferCacheTests
{
    [Fact]
    public void A_returned_buffer_is_rented_again_for_the_same_length_only()
    {
        const int length = LargeBufferCache.MinBytes / 4 + 12_345;
        int[] first = LargeBufferCache.Rent<int>(length);
        Assert.Equal(length, first.Length);
        LargeBufferCache.Return(first);
        Assert.NotSame(first, LargeBufferCache.Rent<int>(length + 1));
        int[] again = LargeBufferCache.Rent<int>(length);
        Assert.Same(first, again);
        Assert.NotSame(first, LargeBufferCache.Rent<int>(length)); // taken: not handed out twice
    }

    [Fact]
    public void Small_buffers_are_not_kept()
    {
        const int length = LargeBufferCache.MinBytes / 8 - 7;
        long[] small = LargeBufferCache.Rent<long>(length);
        LargeBufferCache.Return(small);
        Assert.NotSame(small, LargeBufferCache.Rent<long>(length));
    }

    [Fact]
    public void A_buffer_returned_twice_is_kept_once()
    {
        const int length = LargeBufferCache.MinBytes / 2 + 777;
        short[] buffer = LargeBufferCache.Rent<short>(length);
        LargeBufferCache.Return(buffer);
        LargeBufferCache.Return(buffer);
        Assert.Same(buffer, LargeBufferCache.Rent<short>(length));
        Assert.NotSame(buffer, LargeBufferCache.Rent<short>(length));
    }

    [Fact]
    public void Clear_drops_every_kept_buffer()
    {
        const int length = LargeBufferCache.MinBytes / 4 + 999;
        float[] buffer = LargeBufferCache.Rent<float>(length);
        LargeBufferCache.Return(buffer);
        LargeBufferCache.Clear();
        Assert.NotSame(buffer, LargeBufferCache.Rent<float>(length));
    }
}
