using Xunit;
using KMeansPS.Engine.Kernels;
using KMeansPS.Engine.Random;

namespace KMeansPS.Engine.Tests.Kernels;

/// <summary>The largest of non-negative floats by their bits equals the float maximum, at every length and tail.</summary>
public class NonNegativeMaxTests
{
    [Fact]
    public void Gives_the_largest_value_at_every_length_and_position()
    {
        var rng = new DeterministicRandom(7);
        float[] special = [0f, float.Epsilon, 1e-40f, 1.17549435e-38f, 1f, 3.4e38f, float.MaxValue, float.PositiveInfinity];
        for (int length = 0; length <= 70; length++)
        {
            for (int round = 0; round < 20; round++)
            {
                var values = new float[length];
                for (int i = 0; i < length; i++)
                {
                    values[i] = rng.NextInt(4) == 0 ? special[rng.NextInt(special.Length)] : (float)(rng.NextDouble() * Math.Pow(10, rng.NextInt(20) - 10));
                }
                // The largest planted once at each position in turn, so every lane and the tail hold it some time.
                if (length > 0) values[round % length] = Math.Max(values[round % length], 1e30f * (1 + round));
                float expected = length == 0 ? 0 : values.Max();
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(NonNegativeMax.Of(values)));
            }
        }
    }
}
