namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>
/// A TGA's pixel data as the generated test files write it: as it is, in raw RLE packets of up to 8 pixels, or in a
/// seeded mix of run and raw packets.
/// </summary>
internal static class TgaPixelData
{
    /// <summary>Appends <paramref name="count"/> pixels of <paramref name="bytesPerPixel"/> bytes from <paramref name="data"/> to <paramref name="file"/>.</summary>
    public static void Append(List<byte> file, byte[] data, int count, int bytesPerPixel, bool runLength)
    {
        if (!runLength)
        {
            file.AddRange(data);
            return;
        }
        for (int i = 0; i < count; i += 8)
        {
            int n = Math.Min(8, count - i);
            file.Add((byte)(n - 1)); // a raw packet of n pixels
            file.AddRange(data.AsSpan(i * bytesPerPixel, n * bytesPerPixel).ToArray());
        }
    }

    /// <summary>
    /// Appends the pixels of <paramref name="data"/> as run and raw packets of 1-12 pixels, about half of each; a run
    /// repeats its first pixel, which is copied over the pixels it stands for in <paramref name="data"/>. Packets end at
    /// each row's end unless <paramref name="acrossRows"/> (TGA 1.0 lets them run on; PIL refuses a run that does).
    /// </summary>
    public static void AppendMixed(List<byte> file, byte[] data, int width, int count, int bytesPerPixel, bool acrossRows, Random random)
    {
        for (int i = 0; i < count;)
        {
            int n = Math.Min(1 + random.Next(12), acrossRows ? count - i : width - i % width);
            Span<byte> first = data.AsSpan(i * bytesPerPixel, bytesPerPixel);
            if (random.Next(2) == 0)
            {
                for (int k = 1; k < n; k++) first.CopyTo(data.AsSpan((i + k) * bytesPerPixel));
                file.Add((byte)(0x80 | (n - 1)));
                file.AddRange(first.ToArray());
            }
            else
            {
                file.Add((byte)(n - 1));
                file.AddRange(data.AsSpan(i * bytesPerPixel, n * bytesPerPixel).ToArray());
            }
            i += n;
        }
    }
}
