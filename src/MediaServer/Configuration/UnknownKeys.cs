using System.Collections;
using System.Globalization;
using System.Reflection;

namespace MediaServer.Configuration;

/// <summary>
/// Finds configuration keys that no option type has, so a typo (<c>Rtsp:Prot</c>) stops the server
/// with the key's name instead of being silently ignored: the binder only fills what it knows.
/// </summary>
internal static class UnknownKeys
{
    public static IEnumerable<string> Find(IConfiguration configuration, IReadOnlyDictionary<string, Type> sections, IReadOnlySet<string> freeForm)
    {
        foreach (IConfigurationSection section in configuration.GetChildren())
        {
            if (freeForm.Contains(section.Key))
            {
                continue;
            }

            if (!TryGet(sections, section.Key, out Type? type))
            {
                yield return $"{section.Path}: unknown section (known: {string.Join(", ", sections.Keys.Concat(freeForm).Order())})";
                continue;
            }

            foreach (string unknown in Walk(section, type))
            {
                yield return unknown;
            }
        }
    }

    private static IEnumerable<string> Walk(IConfigurationSection section, Type type)
    {
        if (ElementType(type) is { } element)
        {
            foreach (IConfigurationSection item in section.GetChildren())
            {
                if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    yield return $"{item.Path}: a list takes entries 0, 1, 2, ...";
                    continue;
                }

                foreach (string unknown in Walk(item, element))
                {
                    yield return unknown;
                }
            }

            yield break;
        }

        if (IsScalar(type))
        {
            yield break;
        }

        foreach (IConfigurationSection child in section.GetChildren())
        {
            PropertyInfo? property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || (!property.CanWrite && ElementType(property.PropertyType) is null && IsScalar(property.PropertyType)))
            {
                yield return $"{child.Path}: unknown key";
                continue;
            }

            foreach (string unknown in Walk(child, property.PropertyType))
            {
                yield return unknown;
            }
        }
    }

    private static bool TryGet(IReadOnlyDictionary<string, Type> sections, string key, out Type type)
    {
        foreach ((string name, Type candidate) in sections)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = typeof(object);
        return false;
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        return type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[0] : null;
    }

    private static bool IsScalar(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan);
    }
}
