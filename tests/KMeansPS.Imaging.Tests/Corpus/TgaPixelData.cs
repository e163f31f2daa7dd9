namespace KMeansPS.Imaging.Tests.Corpus;

/// <summary>A TGA's pixel data as the generated test files write it: as it is, or in raw RLE packets of up to 8 pixels.</summary>
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
}
