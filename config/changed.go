package config

import (
	"reflect"
)

// Changed lists the keys (config.yaml names, e.g. "answer.threshold")
// whose values differ between a and b, in config.yaml's order. Secrets are
// compared by value but only their key is named.
func Changed(a, b Config) []string {
	var out []string
	changedKeys("", reflect.ValueOf(a), reflect.ValueOf(b), &out)
	return out
}

func changedKeys(prefix string, a, b reflect.Value, out *[]string) {
	if a.Kind() == reflect.Struct && a.Type() != durationType {
		for i := 0; i < a.NumField(); i++ {
			f := a.Type().Field(i)
			key := f.Tag.Get("mapstructure")
			if key == "" || key == "-" || !f.IsExported() {
				continue
			}
			changedKeys(prefix+key+".", a.Field(i), b.Field(i), out)
		}
		return
	}
	if !reflect.DeepEqual(a.Interface(), b.Interface()) {
		*out = append(*out, prefix[:len(prefix)-1])
	}
}
