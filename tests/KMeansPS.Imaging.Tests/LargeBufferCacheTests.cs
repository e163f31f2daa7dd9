using KMeansPS.Engine.Memory;
using KMeansPS.Imaging.Decoding;
using KMeansPS.Imaging.Histograms;
using KMeansPS.Imaging.Palettes;
using KMeansPS.Imaging.Quantization;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests;

// The cache is process-wide: these tests run alone (see BufferCacheTestsAlone), and use lengths no other test uses.
[Collection(BufferCacheTestsAlone.Name)]
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
    public void Buffers_over_the_byte_limit_push_out_the_oldest()
    {
        // This collection runs alone: no other test fills or clears the cache meanwhile.
        const int length = (int)(LargeBufferCache.MaxBytes / 3) + 5;
        var buffers = Enumerable.Range(0, 3).Select(_ => LargeBufferCache.Rent<byte>(length)).ToArray();
        foreach (byte[] b in buffers) LargeBufferCache.Return(b);
        Assert.True(LargeBufferCache.KeptBytes <= LargeBufferCache.MaxBytes);
        byte[] first = LargeBufferCache.Rent<byte>(length), second = LargeBufferCache.Rent<byte>(length);
        bool Kept(byte[] b) => buffers.Skip(1).Any(k => ReferenceEquals(k, b));
        Assert.True(Kept(first) && Kept(second) && !ReferenceEquals(first, second));
        byte[] third = LargeBufferCache.Rent<byte>(length);
        Assert.DoesNotContain(buffers, b => ReferenceEquals(b, third)); // the oldest was let go
    }

    [Fact]
    public async Task An_idle_cache_lets_its_buffers_go()
    {
        const int length = LargeBufferCache.MinBytes / 4 + 4242;
        int saved = LargeBufferCache.IdleMilliseconds;
        LargeBufferCache.IdleMilliseconds = 100;
        try
        {
            uint[] buffer = LargeBufferCache.Rent<uint>(length);
            LargeBufferCache.Return(buffer);
            // Other tests may keep the cache busy for a while; it must let go once it has been idle.
            bool released = false;
            for (int attempt = 0; attempt < 50 && !released; attempt++)
            {
                await Task.Delay(300, TestContext.Current.CancellationToken);
                uint[] probe = LargeBufferCache.Rent<uint>(length);
                released = !ReferenceEquals(probe, buffer);
                if (!released) LargeBufferCache.Return(probe);
            }
            Assert.True(released);
        }
        finally
        {
            LargeBufferCache.IdleMilliseconds = saved;
        }
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

    [Fact]
    public void A_fit_on_a_histogram_of_millions_of_entries_hands_its_working_arrays_back_before_mapping()
    {
        // A histogram over ColorHistogram.MinMaxEntries entries is an image whose fit takes hundreds of megabytes
        // (perf/memory-bounds.ps1): the cache must not keep the fit's arrays while the pixels are mapped and encoded.
        // In the collection that runs alone: the quantizer clears the cache.
        const int side = 520; // 270,400 distinct opaque colours, more than MinMaxEntries
        var pixels = new Rgba32[side * side];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = new Rgba32((byte)(i * 7), (byte)(i >> 8), (byte)(i >> 16), 255); // i * 7 mod 256 keeps them distinct
        var image = new RgbaImage(side, side, pixels);
        QuantizedImage quantized = ImageQuantizer.Quantize(image, new QuantizeOptions
        {
            K = 16, Seed = 1, MaxHistogramEntries = 1 << 20, MaxDegreeOfParallelism = 2, MaxIterations = 3,
        }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(pixels.Length, quantized.SourceColors);
        Assert.True(quantized.SourceColors > ColorHistogram.MinMaxEntries);
        Assert.Equal(0, LargeBufferCache.KeptCount<float>(pixels.Length)); // the fit's weights
        Assert.Equal(0, LargeBufferCache.KeptCount<float>(3 * pixels.Length)); // its points
    }
}
