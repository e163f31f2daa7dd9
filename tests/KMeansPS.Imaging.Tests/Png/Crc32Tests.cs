using KMeansPS.Imaging.Png;

namespace KMeansPS.Imaging.Tests.Png;

public class Crc32Tests
{
    public static TheoryData<bool> Paths => [.. new[] { System.Runtime.Intrinsics.X86.Pclmulqdq.IsSupported, false }.Distinct()];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Each_path_equals_the_byte_at_a_time_reference(bool carryless)
    {
        var random = new Random(23);
        byte[] data = new byte[5000];
        random.NextBytes(data);
        // Every length around the folding and slicing boundaries, at every alignment.
        for (int length = 0; length < 300; length++)
            for (int offset = 0; offset < 9; offset++)
                Assert.Equal(Crc32.AppendBytewise(0, data.AsSpan(offset, length)), Crc32.Append(0, data.AsSpan(offset, length), carryless));
        Assert.Equal(Crc32.AppendBytewise(0, data), Crc32.Append(0, data, carryless));
        Assert.Equal(0xCBF43926u, Crc32.Append(0, "123456789"u8, carryless)); // the standard check value
        Assert.Equal(0u, Crc32.Append(0, ReadOnlySpan<byte>.Empty, carryless));
        byte[] ones = Enumerable.Repeat((byte)0xFF, 1000).ToArray();
        Assert.Equal(Crc32.AppendBytewise(0, ones), Crc32.Append(0, ones, carryless));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void A_running_crc_continues_as_if_the_data_were_one(bool carryless)
    {
        var random = new Random(31);
        byte[] data = new byte[3000];
        random.NextBytes(data);
        foreach (int split in new[] { 0, 1, 7, 64, 100, 1999, 3000 })
        {
            uint running = Crc32.Append(Crc32.Append(0, data.AsSpan(0, split), carryless), data.AsSpan(split), carryless);
            Assert.Equal(Crc32.AppendBytewise(0, data), running);
        }
    }
}
