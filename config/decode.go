package config

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"

	"deskbot/internal/editdist"
)

// decodeError words the decoder's failures like Validate's: each names the
// key, the value given and what the key takes, instead of the decoder's
// "'answer.threshold' cannot parse value as 'float64': strconv.ParseFloat: …".
// value reads a key's merged value; a misspelt key gets the nearest known one.
func decodeError(err error, value func(key string) any) error {
	var lines []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var de *mapstructure.DecodeError
		if !errors.As(e, &de) {
			lines = append(lines, e.Error())
			return
		}
		lines = append(lines, decodeLine(de.Name(), de.Unwrap(), value)...)
	}
	walk(err)
	sort.Strings(lines)
	return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(lines, "; "))
}

func decodeLine(key string, err error, value func(string) any) []string {
	if rest, ok := strings.CutPrefix(err.Error(), "has invalid keys: "); ok {
		var out []string
		for _, k := range strings.Split(rest, ", ") {
			full := k
			if key != "" {
				full = key + "." + k
			}
			line := fmt.Sprintf("%s: not a configuration key", full)
			if near := nearestKey(full); near != "" {
				line += fmt.Sprintf("; did you mean %s?", near)
			}
			out = append(out, line)
		}
		return out
	}
	given := fmt.Sprintf("%v", value(key))
	var pe *mapstructure.ParseError
	var ue *mapstructure.UnconvertibleTypeError
	switch {
	case errors.As(err, &pe):
		return []string{fmt.Sprintf("%s: %q is not %s", key, given, kindName(pe.Expected.Type()))}
	case errors.As(err, &ue):
		return []string{fmt.Sprintf("%s: %q is not %s", key, given, kindName(ue.Expected.Type()))}
	case strings.HasPrefix(err.Error(), "time: "):
		return []string{fmt.Sprintf("%s: %q is not %s", key, given, kindName(reflect.TypeFor[time.Duration]()))}
	}
	return []string{fmt.Sprintf("%s: %v", key, err)}
}

// kindName says in words what a value of type t looks like.
func kindName(t reflect.Type) string {
	if t == reflect.TypeFor[time.Duration]() {
		return "a duration: a number with a unit, e.g. 30s, 5m or 24h"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number, e.g. 0.5"
	case reflect.String:
		return "a text"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a section of keys"
	}
	return "of type " + t.String()
}

// nearestKey is the known key closest to a misspelt one, if it is close.
func nearestKey(key string) string {
	best, bestD := "", 4
	for k := range defaults() {
		if d := editdist.Distance(key, k); d < bestD || (d == bestD && best != "" && k < best) {
			best, bestD = k, d
		}
	}
	return best
}
