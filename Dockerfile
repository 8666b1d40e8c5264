# syntax=docker/dockerfile:1
# deskbot in a small non-root image (README "Production").
#   docker build --build-arg VERSION=$(git describe --always --dirty) -t deskbot .
#   docker run -d -p 8080:8080 -v deskbot-data:/data \
#     -v /etc/deskbot/credentials/master.key:/run/secrets/master.key:ro \
#     -e DESKBOT_MASTER_KEY_FILE=/run/secrets/master.key deskbot

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# Pure-Go SQLite: no C toolchain, a static binary. timetzdata embeds the
# time zones business_hours.timezone names.
RUN CGO_ENABLED=0 go build -trimpath -tags timetzdata \
      -ldflags "-s -w -X deskbot/app.Version=${VERSION}" -o /out/deskbot . \
 && mkdir -p /out/data /out/etc

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/deskbot /usr/local/bin/deskbot
# /data holds the database, index, backups and erasure ledger; mount a
# volume there. The nonroot user (65532) owns it.
COPY --from=build --chown=65532:65532 /out/data /data
# A config.yaml mounted here is read at start (the working directory).
COPY --from=build /out/etc /etc/deskbot
WORKDIR /etc/deskbot
ENV DESKBOT_DATA_DIR=/data \
    DESKBOT_LISTEN=:8080
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/deskbot"]
CMD ["serve"]
