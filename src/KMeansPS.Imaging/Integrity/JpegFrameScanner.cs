using System.Buffers.Binary;

namespace KMeansPS.Imaging.Integrity;

/// <summary>
/// JPEG: only the frame header (SOFn), for the size and component count before anything is allocated. Whether
/// the entropy-coded data is complete is the JPEG decoder's business.
/// </summary>
/// <remarks>
/// Damage: no frame header before the first scan or the end of the file, a width of 0, no components, a sampling
/// factor outside 1 to 4, and a Huffman-coded frame too large for the file: every 8 x 8 block of the
/// full-resolution component costs at least one bit in some scan (the DC code), so a file of n bytes holds at most
/// 512 n pixels. Arithmetic-coded frames, which ImageSharp 2.1 does not decode anyway, are not held to that bound.
/// A height of 0 (given later by a DNL marker) is reported as unsupported.
/// </remarks>
internal static class JpegFrameScanner
{
    /// <summary>Pixels per byte of file at most, for Huffman coding: 64 pixels per bit.</summary>
    internal const long MaxPixelsPerByte = 512;

    public static IntegrityReport Scan(ReadOnlySpan<byte> file)
    {
        var found = new ScanFindings(ImageFileFormat.Jpeg);
        int p = 2;
        while (p < file.Length)
        {
            // Markers may be preceded by fill bytes; anything else between segments is skipped, as decoders do.
            if (file[p] != 0xFF)
            {
                p++;
                continue;
            }
            while (p < file.Length && file[p] == 0xFF) p++;
            if (p >= file.Length) break;
            byte marker = file[p++];
            if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue; // no length
            if (marker == 0xD9) return found.Damaged("the JPEG ends (end-of-image marker) before its frame header");
            if (marker == 0xDA) return found.Damaged("the JPEG's first scan comes before its frame header");
            if (file.Length - p < 2) break;
            int length = BinaryPrimitives.ReadUInt16BigEndian(file[p..]);
            if (IsFrameHeader(marker))
            {
                if (length < 8 || file.Length - p < 8) return found.Damaged("the file ends inside the JPEG frame header");
                int height = BinaryPrimitives.ReadUInt16BigEndian(file[(p + 3)..]);
                int width = BinaryPrimitives.ReadUInt16BigEndian(file[(p + 5)..]);
                found.Width = width;
                found.Height = height;
                int components = file[p + 7];
                found.Components = components;
                if (width == 0) return found.Damaged("the JPEG frame header gives a width of 0");
                if (components == 0) return found.Damaged("the JPEG frame header gives 0 colour components");
                if (length < 8 + 3 * components || file.Length - p < 8 + 3 * components) return found.Damaged("the file ends inside the JPEG frame header");
                for (int c = 0; c < components; c++)
                {
                    int sampling = file[p + 9 + 3 * c];
                    if (sampling >> 4 is 0 or > 4 || (sampling & 15) is 0 or > 4)
                        return found.Damaged($"the JPEG frame header gives component {c + 1} a sampling factor of {sampling >> 4} x {sampling & 15}");
                }
                if (height == 0) return found.Unsupported("the JPEG gives its height later, in a DNL marker, which the decoder does not read");
                bool huffman = marker is 0xC0 or 0xC1 or 0xC2 or 0xC3 or 0xC5 or 0xC6 or 0xC7;
                long blocks = ((width + 7L) / 8) * ((height + 7L) / 8);
                if (huffman && blocks * 64 > MaxPixelsPerByte * file.Length)
                    return found.Damaged($"the header claims {Plain.Size(width, height)} pixels but the file holds {Plain.Bytes(file.Length)}");
                return found.Intact();
            }
            if (length < 2) return found.Damaged($"a JPEG segment at byte {Plain.N(p - 2)} gives a length of {length}");
            p += length;
        }
        return found.Damaged("the file ends before the JPEG frame header");
    }

    /// <summary>SOF0 to SOF15 except DHT (C4), JPG (C8) and DAC (CC).</summary>
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
}
